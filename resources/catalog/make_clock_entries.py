#!/usr/bin/env python3
"""Regenerates the clock entries of catalog.json from ../shared/clocks/clocks_manifest.csv.

Entries of other families (speech, text) are kept as they are; every entry with family "clock" is
replaced by one generated from the manifest, in manifest order, after the others.

    python3 resources/catalog/make_clock_entries.py [--manifest PATH] [--catalog PATH]
"""
import argparse
import csv
import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_MANIFEST = os.path.normpath(os.path.join(HERE, "..", "..", "..", "shared", "clocks", "clocks_manifest.csv"))
DEFAULT_CATALOG = os.path.join(HERE, "catalog.json")
RESEARCH_NOTE = "Research use only; not a medical device and not for clinical decisions."


def usage_of(flag_text):
    text = flag_text.lower()
    flags = []
    if "commercial" in text:
        flags.append("commercial-use-needs-licence")
    if "no licence" in text or "no license" in text:
        flags.append("upstream-has-no-licence")
    if "(check)" in text or "check licence" in text:
        flags.append("check-licence")
    return {"research_only": "research" in text, "flags": flags}


def number_or_none(text):
    text = (text or "").strip()
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        return None


def clock_entry(row):
    upstream_file = row["upstream_path"].split(" ")[0].rsplit("/", 1)[-1]
    shared_name = row["file"].rsplit("/", 1)[-1]
    converted = upstream_file != shared_name
    source_file = {"path": upstream_file, "url": row["upstream_raw_url"]}
    if converted:
        # The shared CSV was converted from an R data file: its digest is not the download's.
        pass
    else:
        source_file["bytes"] = int(row["bytes"])
        source_file["sha256"] = row["sha256"]
    details = {
        "kind": row["kind"],
        "n_cpgs": int(row["n_cpgs"]),
        "header": row["header"],
        "utf8_bom": row["utf8_bom"] == "True",
        "intercept": number_or_none(row["intercept_full"]),
        "intercept_in_file": number_or_none(row["intercept_in_file"]),
        "intercept_source": row["intercept_full_source"],
        "transform": row["transform"],
        "normalisation": row["normalisation"],
        "output": row["output"],
        "tissue": row["tissue"],
        "biolearn_model": row["biolearn_model"],
        "upstream_repo": row["upstream_repo"],
        "upstream_commit": row["upstream_commit"],
        "upstream_path": row["upstream_path"],
        "shared_file": row["file"],
        "usage_flag": row["usage_flag"],
    }
    if converted:
        details["converted_file"] = shared_name
        details["converted_sha256"] = row["sha256"]
        details["converted_bytes"] = int(row["bytes"])
    notes = [RESEARCH_NOTE]
    if row["kind"] == "reference":
        notes.append("Reference table (not a clock): " + row["output"] + ".")
    if row["usage_flag"] and row["usage_flag"] != "none stated":
        notes.append("Usage: " + row["usage_flag"] + ".")
    if converted:
        notes.append("Upstream is an R data file; Benchtop's CSV (%s, sha256 %s) is exported from it with export_rda.R."
                     % (shared_name, row["sha256"]))
    entry = {
        "id": row["id"].lower(),
        "task": "methylation",
        "family": "clock",
        "name": row["id"] + (" (reference table)" if row["kind"] == "reference" else ""),
        "source": {"type": "url", "files": [source_file]},
        "size_bytes": int(row["bytes"]) if not converted else 0,
        "licence": row["licence"],
        "citation": row["citation"],
        "notes": " ".join(notes),
        "usage": usage_of(row["usage_flag"]),
        "details": details,
    }
    return entry


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--manifest", default=DEFAULT_MANIFEST)
    parser.add_argument("--catalog", default=DEFAULT_CATALOG)
    args = parser.parse_args()
    with open(args.manifest, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    catalog = {"schema": 1, "models": []}
    if os.path.exists(args.catalog):
        with open(args.catalog, encoding="utf-8") as f:
            catalog = json.load(f)
    others = [m for m in catalog.get("models", []) if m.get("family") != "clock"]
    clocks = [clock_entry(row) for row in rows]
    ids = [m["id"] for m in others + clocks]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise SystemExit("duplicate ids: " + ", ".join(duplicates))
    catalog["models"] = others + clocks
    with open(args.catalog, "w", encoding="utf-8") as f:
        json.dump(catalog, f, indent=2, ensure_ascii=False)
        f.write("\n")
    print("%s: %d clock entries, %d other entries" % (args.catalog, len(clocks), len(others)))


if __name__ == "__main__":
    main()
