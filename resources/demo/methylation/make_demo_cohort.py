#!/usr/bin/env python3
"""Writes the synthetic demo cohort: 12 samples x the CpGs of Horvath 2013, Hannum and PhenoAge.

Values are invented (no real or fixture data): each CpG drifts with age in the direction of its clock
weight plus noise, so predicted ages rise with the sample sheet's ages. Usage:
    python3 make_demo_cohort.py CLOCKS_DIR   (a folder with Horvath1.csv, Hannum.csv, PhenoAge.csv)
"""
import csv, math, os, random, sys

folder = sys.argv[1]
weights = {}
for name in ("Horvath1.csv", "Hannum.csv", "PhenoAge.csv"):
    path = next(os.path.join(r, name) for r, _, files in os.walk(folder) if name in files)
    with open(path, encoding="utf-8-sig") as f:
        for row in csv.reader(f):
            if row[0].startswith("cg"):
                weights[row[0]] = weights.get(row[0], 0.0) + float(row[1])
rng = random.Random(2026)
ages = [24, 31, 38, 45, 52, 57, 63, 68, 72, 79, 34, 49]
samples = [f"DEMO{i + 1:02d}" for i in range(len(ages))]
here = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(here, "cohort.csv"), "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["ID_REF"] + samples)
    for cpg in sorted(weights):
        base = rng.uniform(0.15, 0.85)
        drift = math.copysign(min(0.0008, abs(weights[cpg]) * 0.006), weights[cpg])
        w.writerow([cpg] + [f"{min(0.99, max(0.01, base + drift * (a - 50) + rng.gauss(0, 0.02))):.4f}" for a in ages])
with open(os.path.join(here, "sample_sheet.csv"), "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["Sample_Name", "Age", "Sex"])
    for s, a in zip(samples, ages):
        w.writerow([s, a, "F" if int(s[-2:]) % 2 else "M"])
