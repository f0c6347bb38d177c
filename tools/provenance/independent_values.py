#!/usr/bin/env python3
"""Independent computations of hard-coded expected values in tests/** that had no script of their own.

Run by hand from the repository root (Debian's python3 with numpy, pandas, statsmodels):
    /usr/bin/python3 tools/provenance/independent_values.py > tools/provenance/independent_values.txt
Its output is committed beside it; each test that uses a value names the line ("[wilson] 8/20 low").
None of this code is LstmLab's: numpy, pandas and statsmodels compute, or the formula is written out here
from its published definition.
"""
import csv
import math
import os

import numpy as np
import pandas as pd
from statsmodels.stats.proportion import proportion_confint

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))


def shampoo():
    with open(os.path.join(ROOT, "src", "LstmLab", "Data", "Resources", "shampoo-sales.csv"), newline="") as f:
        rows = list(csv.reader(f))[1:]
    return [r[0] for r in rows], np.array([float(r[1]) for r in rows])


def wilson():
    # TrialSummaryTests, ReproduceTests: statsmodels' Wilson score interval at 95%.
    for k, n in [(8, 20), (0, 20), (20, 20), (18, 18)]:
        low, high = proportion_confint(k, n, alpha=0.05, method="wilson")
        print(f"[wilson] {k}/{n} low {low:.6f} high {high:.6f}")


def scaler():
    # MinMaxScalerTests.ShampooSeedPipeline: seed 001's pipeline (difference, lag-1 frame, last 12 rows
    # held out, MinMaxScaler(-1, 1) fitted on the training rows), with scikit-learn's formulas in numpy:
    # scale_ = (max_r - min_r) / (data_max - data_min), min_ = min_r - data_min * scale_.
    _, v = shampoo()
    diff = np.diff(v)
    frame = np.column_stack([np.concatenate([[0.0], diff[:-1]]), diff])  # X = shift(1) filled with 0, y
    train, test = frame[:-12], frame[-12:]
    dmin, dmax = train.min(axis=0), train.max(axis=0)
    scale = 2.0 / (dmax - dmin)
    offset = -1.0 - dmin * scale
    scaled = test * scale + offset
    print(f"[scaler] data_min[0] {dmin[0]!r} data_max[0] {dmax[0]!r}")
    print(f"[scaler] scale[1] {scale[1]!r} offset[1] {offset[1]!r}")
    print(f"[scaler] test_scaled[0] {scaled[0][0]!r} {scaled[0][1]!r}")
    print(f"[differencing] first three {diff[0]!r} {diff[1]!r} {diff[2]!r} last {diff[-1]!r}")


def persistence():
    # Seed 001's persistence forecast on the last 12 months (the tutorial prints 136.761).
    _, v = shampoo()
    rmse = math.sqrt(np.mean((v[-12:] - v[-13:-1]) ** 2))
    print(f"[persistence] rmse {rmse:.6f} last forecast {v[-2]!r} last actual {v[-1]!r}")


def quartiles():
    # BoxStatsTests.Known_outliers_by_hand and SummaryTests: numpy's linear-interpolation percentiles
    # (matplotlib's boxplot and pandas' describe() use the same).
    x = np.array([-20, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 30], dtype=float)
    q1, q3 = np.percentile(x, [25, 75])
    iqr = q3 - q1
    inside = x[(x >= q1 - 1.5 * iqr) & (x <= q3 + 1.5 * iqr)]
    print(f"[box] q1 {q1} q3 {q3} whiskers {inside.min()} {inside.max()} fliers {x[(x < q1 - 1.5 * iqr) | (x > q3 + 1.5 * iqr)].tolist()}")
    print(f"[quantile] [1, 2] q1 {np.percentile([1.0, 2.0], 25)} median {np.percentile([1.0, 2.0], 50)} q3 {np.percentile([1.0, 2.0], 75)}")


def pandas_format():
    # DescribeTableTests: Python's repr(float) (what to_csv() writes), and how DataFrame.to_string() prints a
    # float column (display.precision 6): the cells after the index, as printed.
    for value in [10.0, 0.5, -3.0, 1e-08, 1.05e-07, 0.0001, 1e-05, 123456789012345.6, 1e15, 1e16, 1.5e300, 0.1, 12583058.782876933, 0.0, -0.0]:
        print(f"[repr] {value!r}")
    for column in ([1.0, 2.5, float("nan")], [1e-7, 1.0], [1000000.5], [12345678.125], [float("inf"), float("-inf"), 1.0]):
        lines = pd.DataFrame({"v": column}).to_string().split("\n")[1:]
        cells = [line[len(str(len(column) - 1)) + 1:].lstrip(" ") for line in lines]
        print(f"[pandas {pd.__version__}] column {column!r} -> {cells!r}")
    print("[pandas] describe of [1, 2] begins: " + repr(pd.DataFrame({"results": [1.0, 2.0]}).describe().to_string().split("\n")[:2]))
    x = np.array([3, 1, 4, 1, 5, 9, 2], dtype=float)
    for q in (0.0, 0.1, 0.3, 0.9, 1.0):
        print(f"[quantile] [3, 1, 4, 1, 5, 9, 2] at {q}: {np.quantile(x, q)!r}")


def derive_seed():
    # RandomGeneratorTests.DeriveSeed: FNV-1a 64 over the label's UTF-16 code units, x = seed ^ h*golden ^
    # index*0xD1B54A32D192ED03, then one SplitMix64 step (Steele, Lea & Flood 2014), all modulo 2^64.
    mask = (1 << 64) - 1

    def fnv1a(label):
        h = 14695981039346656037
        units = label.encode("utf-16-le")
        for i in range(0, len(units), 2):
            h ^= units[i] | units[i + 1] << 8
            h = (h * 1099511628211) & mask
        return h

    def splitmix(x):
        z = (x + 0x9E3779B97F4A7C15) & mask
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & mask
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & mask
        return z ^ (z >> 31)

    for seed, label, index in [(42, "layer", 0), (42, "layer", 1), (0, "shuffle", 0), (-5, "héllo", 3)]:
        x = (seed & mask) ^ ((fnv1a(label) * 0x9E3779B97F4A7C15) & mask) ^ ((index * 0xD1B54A32D192ED03) & mask)
        v = splitmix(x)
        print(f"[derive_seed] ({seed}, {label!r}, {index}) -> {v - (1 << 64) if v >= 1 << 63 else v}")


if __name__ == "__main__":
    wilson()
    scaler()
    persistence()
    quartiles()
    pandas_format()
    derive_seed()
