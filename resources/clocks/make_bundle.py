#!/usr/bin/env python3
"""Copies the clock coefficient tables the catalog references from ../shared/clocks into resources/clocks.

Benchtop ships these tables so that every clock runs on a machine without network. Each catalog entry of
family "clock" names its table in the shared clocks folder (details.shared_file, e.g. biolearn/Horvath1.csv);
the table is copied byte-identical to the same relative path here, after its SHA-256 and size have been checked
against the catalog (source.files[0].sha256, or details.converted_sha256 for a table converted from an R data
file). Tables no entry references are removed. The script also copies the upstream licences and writes
index.json and README.md (citation, source URL, pinned commit, SHA-256, licence and usage flag of each table).

    python3 resources/clocks/make_bundle.py [--shared DIR] [--catalog PATH] [--out DIR] [--check]

--check changes nothing and exits 1 when the bundle differs from what the script would write.
Standard library only.
"""
import argparse
import hashlib
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_SHARED = os.path.normpath(os.path.join(HERE, "..", "..", "..", "shared", "clocks"))
DEFAULT_CATALOG = os.path.normpath(os.path.join(HERE, "..", "catalog", "catalog.json"))
TABLE_FOLDERS = ("biolearn", "reference")
LICENCE_FILES = ("biolearn_LICENSE.txt", "methylclock_LICENSE.txt")
USAGE_TEXT = {
    "commercial-use-needs-licence": "commercial use needs the owner's licence",
    "upstream-has-no-licence": "upstream states no licence",
    "check-licence": "check the licence",
}


def sha256_of(path):
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()


def expected_digest(entry):
    """(sha256, bytes) the bundled file must have: the download's, or the converted CSV's."""
    details = entry.get("details", {})
    if details.get("converted_file"):
        return details["converted_sha256"], int(details["converted_bytes"])
    first = entry["source"]["files"][0]
    return first["sha256"], int(first["bytes"])


def usage_summary(entry):
    usage = entry.get("usage", {})
    parts = []
    if usage.get("research_only"):
        parts.append("research use only")
    parts += [USAGE_TEXT.get(flag, flag) for flag in usage.get("flags", [])]
    return "; ".join(parts) if parts else "none stated"


def plan(catalog, shared):
    """One record per clock entry: where its table comes from and what index.json says about it."""
    tables = []
    problems = []
    for entry in catalog["models"]:
        if entry.get("family") != "clock":
            continue
        details = entry.get("details", {})
        relative = details.get("shared_file", "")
        if not relative or relative.split("/")[0] not in TABLE_FOLDERS:
            problems.append("%s: details.shared_file '%s' is not under %s" % (entry["id"], relative, TABLE_FOLDERS))
            continue
        source = os.path.join(shared, *relative.split("/"))
        sha, size = expected_digest(entry)
        if not os.path.isfile(source):
            problems.append("%s: %s is missing" % (entry["id"], source))
            continue
        actual = sha256_of(source)
        if actual != sha or os.path.getsize(source) != size:
            problems.append("%s: %s has SHA-256 %s (%d bytes); the catalog says %s (%d bytes)"
                            % (entry["id"], source, actual, os.path.getsize(source), sha, size))
            continue
        first = entry["source"]["files"][0]
        record = {
            "id": entry["id"],
            "name": entry.get("name", entry["id"]),
            "file": relative,
            "bytes": size,
            "sha256": sha,
            "source_url": first["url"],
            "upstream_repo": details.get("upstream_repo", ""),
            "upstream_commit": details.get("upstream_commit", ""),
            "upstream_path": details.get("upstream_path", ""),
            "licence": entry.get("licence", ""),
            "citation": entry.get("citation", ""),
            "usage_flag": details.get("usage_flag", ""),
            "research_only": bool(entry.get("usage", {}).get("research_only", False)),
            "usage_flags": list(entry.get("usage", {}).get("flags", [])),
        }
        if details.get("converted_file"):
            record["converted_from"] = first["path"]
        tables.append((source, record))
    return tables, problems


def index_json(tables):
    index = {
        "schema": 1,
        "generated_by": "resources/clocks/make_bundle.py",
        "note": "Clock coefficient tables bundled with Benchtop, byte-identical to the catalog's downloads "
                "(SHA-256 as in resources/catalog/catalog.json). Not legal advice: check each usage flag.",
        "tables": [record for _, record in tables],
    }
    return json.dumps(index, indent=2, ensure_ascii=False) + "\n"


def readme_text(tables):
    total = sum(record["bytes"] for _, record in tables)
    lines = [
        "# Bundled clock coefficient tables",
        "",
        "Generated by `make_bundle.py` from `../shared/clocks`; do not edit by hand. Benchtop reads these tables when",
        "a clock's table is not in the model store, so every clock runs without network (`docs/models.md`).",
        "Each file is byte-identical to the catalog's download (`resources/catalog/catalog.json`);",
        "`benchtop-cli models verify ID` re-checks its SHA-256. `index.json` holds the same facts for programs.",
        "",
        "%d tables, %d bytes. Licences: `LICENSES/` (biolearn: BSD-3-Clause; methylclock: MIT). The tables are"
        % (len(tables), total),
        "published paper supplements; several clocks carry usage restrictions from their owners (column *usage*).",
        "Not legal advice.",
        "",
        "| id | file | bytes | licence | usage | source (pinned commit) | SHA-256 |",
        "|---|---|---:|---|---|---|---|",
    ]
    for _, r in tables:
        lines.append("| %s | `%s` | %d | %s | %s | [%s@%s](%s) | `%s` |" % (
            r["id"], r["file"], r["bytes"], r["licence"], usage_summary_of_record(r),
            r["upstream_repo"], r["upstream_commit"][:12], r["source_url"], r["sha256"]))
    lines += ["", "## Citations", ""]
    for _, r in tables:
        lines.append("- **%s**: %s" % (r["id"], r["citation"]))
    return "\n".join(lines) + "\n"


def usage_summary_of_record(record):
    return usage_summary({"usage": {"research_only": record["research_only"], "flags": record["usage_flags"]}})


def read_bytes(path):
    try:
        with open(path, "rb") as f:
            return f.read()
    except OSError:
        return None


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", default=DEFAULT_SHARED, help="the shared clocks folder (../shared/clocks)")
    parser.add_argument("--catalog", default=DEFAULT_CATALOG)
    parser.add_argument("--out", default=HERE)
    parser.add_argument("--check", action="store_true", help="verify the bundle instead of writing it")
    args = parser.parse_args()

    with open(args.catalog, encoding="utf-8") as f:
        catalog = json.load(f)
    tables, problems = plan(catalog, args.shared)
    if problems:
        sys.exit("make_bundle.py: nothing written:\n  " + "\n  ".join(problems))

    wanted = {}  # relative path -> bytes
    for source, record in tables:
        wanted[record["file"]] = read_bytes(source)
    for name in LICENCE_FILES:
        wanted["LICENSES/" + name] = read_bytes(os.path.join(args.shared, "LICENSES", name))
    wanted["index.json"] = index_json(tables).encode("utf-8")
    wanted["README.md"] = readme_text(tables).encode("utf-8")

    stale = []
    for folder in TABLE_FOLDERS + ("LICENSES",):
        path = os.path.join(args.out, folder)
        if os.path.isdir(path):
            stale += [folder + "/" + n for n in sorted(os.listdir(path)) if folder + "/" + n not in wanted]

    if args.check:
        differ = [rel for rel, data in sorted(wanted.items())
                  if read_bytes(os.path.join(args.out, *rel.split("/"))) != data]
        if differ or stale:
            sys.exit("make_bundle.py --check: out of date: " + ", ".join(differ + stale))
        print("%s: %d tables up to date" % (args.out, len(tables)))
        return

    for rel, data in sorted(wanted.items()):
        target = os.path.join(args.out, *rel.split("/"))
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(target, "wb") as f:
            f.write(data)
        os.chmod(target, 0o644)
    for rel in stale:
        os.remove(os.path.join(args.out, *rel.split("/")))
    total = sum(record["bytes"] for _, record in tables)
    print("%s: %d tables (%d bytes), %d stale files removed" % (args.out, len(tables), total, len(stale)))


if __name__ == "__main__":
    main()
