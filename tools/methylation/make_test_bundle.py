#!/usr/bin/python3
"""Generate the small TorchScript predictor bundle used by Benchtop's tests.

    /usr/bin/python3 tools/methylation/make_test_bundle.py [--shared ../shared] [--out tests/data/methylation/test-bundle]

Needs torch and numpy (Debian's python3-torch 1.13 works; the output loads in libtorch 1.13 and 2.x).

The bundle's 200 input CpGs are probe ids read from two fixture matrices in ../shared at generation time:
190 ids of D_format_variants/D09_missing_in_clock_cpgs.csv (every CpG with missing cells there, the rest drawn
with a fixed seed) and 10 ids of A_example55/betas.csv that D09 does not have, so a run on D09 exercises both
imputation paths (missing cells and absent CpGs). No value of the fixtures is stored in the bundle: the
imputation values are synthetic. The network (Linear 200->16, ReLU, Linear 16->2) has seeded random weights; one
output is an age in years (identity), the other a probability (sigmoid of the second logit).

Besides the bundle (manifest.json, cpgs.txt, model.pt) the script writes the outputs for D09's 16 samples:
  expected.csv           the bundle as shipped (beta input, cohort-mean imputation with the manifest's values
                         for CpGs absent from the file)
  expected_variants.csv  the same model with the manifest changed: imputation "reference", imputation
                         "sample_mean", input kind "m"
computed here with numpy in float64 (imputation, beta->M) and the traced module in float32, exactly as the
format document (docs/methylation-bundles.md) specifies.
"""

import argparse
import csv
import json
import math
import os
import re
import sys

import numpy as np
import torch

D09 = "fixtures/methylation/D_format_variants/D09_missing_in_clock_cpgs.csv"
A55 = "fixtures/methylation/A_example55/betas.csv"
N_PRESENT = 190
N_ABSENT = 10
HIDDEN = 16
M_EPSILON = 1e-6  # betas are clamped to [eps, 1 - eps] before the logit (docs/methylation-bundles.md)
MIN_COVERAGE = 0.8
OUTPUTS = [
    {"name": "TestMlpAge", "unit": "years", "transform": "identity",
     "description": "test network: an arbitrary age-like output (not a real predictor)"},
    {"name": "TestMlpRisk", "unit": "probability", "transform": "sigmoid",
     "description": "test network: sigmoid of the second logit (not a real predictor)"},
]


def read_matrix(path):
    """Probe ids, sample names and a float64 CpGs x samples array (NaN for NA / NaN / empty)."""
    ids, rows = [], []
    with open(path, newline="") as f:
        reader = csv.reader(f)
        header = next(reader)
        for rec in reader:
            ids.append(rec[0])
            rows.append([float(v) if v not in ("", "NA", "NaN") else math.nan for v in rec[1:]])
    return ids, header[1:], np.array(rows, dtype=np.float64)


def read_ids(path):
    with open(path, newline="") as f:
        reader = csv.reader(f)
        next(reader)
        return [rec[0] for rec in reader]


class TestMlp(torch.nn.Module):
    def __init__(self, n_in):
        super().__init__()
        self.hidden = torch.nn.Linear(n_in, HIDDEN)
        self.out = torch.nn.Linear(HIDDEN, len(OUTPUTS))

    def forward(self, x):
        return self.out(torch.relu(self.hidden(x)))


def impute(x, method, values):
    """x: samples x cpgs betas with NaN; returns the filled copy and the measured count per sample."""
    present = (~np.isnan(x)).sum(axis=1)
    filled = x.copy()
    n_samples, n_cpgs = x.shape
    sample_mean = np.nanmean(x, axis=1)
    for j in range(n_cpgs):
        col = x[:, j]
        missing = np.isnan(col)
        if not missing.any():
            continue
        if method == "reference":
            filled[missing, j] = values[j]
        elif method == "cohort_mean":
            filled[missing, j] = np.nanmean(col) if (~missing).any() else values[j]
        elif method == "sample_mean":
            filled[missing, j] = sample_mean[missing]
        else:
            raise ValueError(method)
    return filled, present


def predict(module, x_beta, manifest):
    inp = manifest["input"]
    filled, present = impute(x_beta, inp["imputation"]["method"], inp["imputation"].get("values"))
    if inp["kind"] == "m":
        b = np.clip(filled, M_EPSILON, 1.0 - M_EPSILON)
        filled = np.log2(b / (1.0 - b))
    with torch.no_grad():
        raw = module(torch.from_numpy(filled.astype(np.float32))).double().numpy()
    out = np.empty_like(raw)
    for k, spec in enumerate(manifest["outputs"]):
        out[:, k] = raw[:, k] if spec["transform"] == "identity" else 1.0 / (1.0 + np.exp(-raw[:, k]))
    covered = present >= MIN_COVERAGE * x_beta.shape[1]
    assert covered.all(), "every fixture sample must pass the 80 % coverage rule"
    return out


def fmt(v):
    return repr(float(v))


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    repo = os.path.dirname(os.path.dirname(here))
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--shared", default=os.path.join(os.path.dirname(repo), "shared"),
                    help="the shared/ folder with fixtures/ (default: beside the checkout)")
    ap.add_argument("--out", default=os.path.join(repo, "tests", "data", "methylation", "test-bundle"))
    args = ap.parse_args()

    ids, samples, betas = read_matrix(os.path.join(args.shared, D09))
    a_ids = read_ids(os.path.join(args.shared, A55))
    rng = np.random.default_rng(20240611)
    row_of = {cpg: i for i, cpg in enumerate(ids)}
    with_missing = [cpg for cpg in ids if np.isnan(betas[row_of[cpg]]).any()]
    others = [cpg for cpg in ids if cpg not in set(with_missing)]
    chosen = with_missing + list(rng.choice(others, N_PRESENT - len(with_missing), replace=False))
    in_d09 = set(ids)
    absent = list(rng.choice([c for c in a_ids if c not in in_d09], N_ABSENT, replace=False))
    cpgs = [str(c) for c in rng.permutation(chosen + absent)]

    ref_values = [round(float(v), 4) for v in rng.uniform(0.1, 0.9, len(cpgs))]
    x = np.full((len(samples), len(cpgs)), math.nan)
    for j, cpg in enumerate(cpgs):
        if cpg in row_of:
            x[:, j] = betas[row_of[cpg]]

    torch.manual_seed(20240611)
    model = TestMlp(len(cpgs)).eval()
    with torch.no_grad():
        # Spread the outputs into plausible ranges: hidden units centred on beta 0.5, output biases chosen so
        # that the fixture's samples average an age of 50 years and a logit of 0.
        model.hidden.weight *= 20.0
        model.hidden.bias -= model.hidden.weight.sum(dim=1) * 0.5
        model.out.weight[0] *= 10.0
        model.out.weight[1] *= 2.0
        filled, _ = impute(x, "cohort_mean", ref_values)
        raw = model(torch.from_numpy(filled.astype(np.float32)))
        model.out.bias[0] += 50.0 - raw[:, 0].mean()
        model.out.bias[1] -= raw[:, 1].mean()
    traced = torch.jit.trace(model, torch.zeros(2, len(cpgs)))

    manifest = {
        "format_version": 1,
        "name": "benchtop-test-mlp",
        "description": "Tiny random-weight network for Benchtop's tests (not a real predictor).",
        "task": "methylation",
        "model": "model.pt",
        "input": {
            "cpgs": "cpgs.txt",
            "kind": "beta",
            "imputation": {"method": "cohort_mean", "values": ref_values},
        },
        "outputs": OUTPUTS,
        "reduced_precision": False,
        "batch_size": 8,
        "metadata": {
            "generator": "tools/methylation/make_test_bundle.py",
            "torch_version": torch.__version__,
            "input_ids_from": [D09, A55],
        },
    }

    os.makedirs(args.out, exist_ok=True)
    traced.save(os.path.join(args.out, "model.pt"))
    with open(os.path.join(args.out, "cpgs.txt"), "w") as f:
        f.write("\n".join(cpgs) + "\n")
    with open(os.path.join(args.out, "manifest.json"), "w") as f:
        text = json.dumps(manifest, indent=2)
        # One line for the 200 imputation values keeps the manifest readable.
        text = re.sub(r"\[\s+([-0-9.,\s]+?)\s+\]", lambda m: "[" + " ".join(m.group(1).split()) + "]", text)
        f.write(text + "\n")

    # Expected outputs: the traced module as saved, reloaded, on the fixture in the bundle's CpG order.
    module = torch.jit.load(os.path.join(args.out, "model.pt")).eval()
    names = [o["name"] for o in OUTPUTS]
    shipped = predict(module, x, manifest)
    with open(os.path.join(args.out, "expected.csv"), "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["sample"] + names)
        for s, sample in enumerate(samples):
            w.writerow([sample] + [fmt(v) for v in shipped[s]])

    variants = {
        "reference": ("reference", "beta"),
        "sample_mean": ("sample_mean", "beta"),
        "m_input": ("cohort_mean", "m"),
    }
    with open(os.path.join(args.out, "expected_variants.csv"), "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["variant", "sample"] + names)
        for variant, (method, kind) in variants.items():
            m = json.loads(json.dumps(manifest))
            m["input"]["imputation"]["method"] = method
            m["input"]["kind"] = kind
            out = predict(module, x, m)
            for s, sample in enumerate(samples):
                w.writerow([variant, sample] + [fmt(v) for v in out[s]])

    print(f"wrote {args.out}: {len(cpgs)} CpGs ({N_ABSENT} absent from D09), {len(samples)} samples; "
          f"{names[0]} {shipped[:, 0].min():.2f}..{shipped[:, 0].max():.2f}, "
          f"{names[1]} {shipped[:, 1].min():.3f}..{shipped[:, 1].max():.3f}", file=sys.stderr)


if __name__ == "__main__":
    main()
