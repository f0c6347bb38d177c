#!/usr/bin/env python3
"""Writes tests/LstmLab.Experiments.Tests/Fixtures/stats_expected.json.

The C# statistics in src/LstmLab.Experiments are checked against the numbers this script takes from
pandas (describe, its printed table and CSV), scipy (Welch t-test, Mann-Whitney U, Student t and
normal distributions, standard error of the mean), statsmodels (Holm), matplotlib
(cbook.boxplot_stats) and mpmath (40-digit Student t quantiles, since scipy's are only good to ~1e-9).
The data are fixed in this file, so the output only changes when the libraries do. Versions used are
recorded in the fixture.

Run with the Debian packages (the pyenv python lacks them):
    apt-get install -y python3-pandas python3-scipy python3-statsmodels python3-matplotlib
    /usr/bin/python3 tools/stats/make_stats_fixtures.py
"""
import json
import math
import os
import sys
import warnings

import matplotlib
import mpmath
import numpy as np
import pandas as pd
import scipy
import statsmodels
from matplotlib import cbook
from scipy import stats
from statsmodels.stats.multitest import multipletests

# scipy warns about "catastrophic cancellation" for the constant samples; the NaN result is the point.
warnings.filterwarnings("ignore", category=RuntimeWarning)

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "tests", "LstmLab.Experiments.Tests",
                   "Fixtures", "stats_expected.json")

# Printed tables: never wrap columns (pandas wraps at display.width = 80 otherwise).
pd.set_option("display.width", 10000)
pd.set_option("display.max_columns", None)
# pandas sums with numpy (pairwise summation) unless the optional bottleneck package is installed; a plain
# `pip install pandas` has no bottleneck. Debian's pandas pulls it in, so switch it off: the last digit of
# std in describe().to_csv() depends on it.
pd.set_option("compute.use_bottleneck", False)


def num(v):
    """A float for JSON, which has no NaN or infinity: NaN becomes null, infinities "Infinity"."""
    v = float(v)
    if math.isnan(v):
        return None
    if math.isinf(v):
        return "Infinity" if v > 0 else "-Infinity"
    return v


def nums(vs):
    return [num(v) for v in vs]


rng = np.random.default_rng(20170421)  # the tutorial's publication date

# Named samples. RMSE-like repeats resembling the tutorial's (10 repeats each), plus edge cases.
samples = {
    "stateful": rng.normal(103.1, 7.1, 10),
    "stateful2": rng.normal(106.6, 10.7, 10),
    "stateless": rng.normal(95.7, 1.9, 10),
    "stateless_shuffle": rng.normal(96.2, 2.1, 10),
    "noseed_3": np.concatenate([rng.normal(100.0, 6.0, 9), [166.527902]]),
    "pool30": rng.normal(100.0, 8.0, 30),
    "small5": rng.normal(10.0, 2.0, 5),
    "small6": rng.normal(12.0, 2.0, 6),
    "tiny3": rng.normal(0.0, 1.0, 3),
    "other20": rng.normal(0.5, 1.0, 20),
    "eight_a": rng.normal(1.0, 1.0, 8),
    "eight_b": rng.normal(2.0, 1.0, 8),
    "nine_a": rng.normal(1.0, 1.0, 9),
    "nine_b": rng.normal(2.0, 1.0, 9),
    "other30": rng.normal(1.5, 1.0, 30),
    "ties_a": np.array([1.0, 2.0, 2.0, 3.0, 3.0, 3.0, 5.0]),
    "ties_b": np.array([2.0, 3.0, 4.0, 4.0, 6.0]),
    "const4_a": np.array([4.0, 4.0, 4.0]),
    "const4_b": np.array([4.0, 4.0, 4.0, 4.0]),
    "const5": np.array([5.0, 5.0, 5.0]),
    "low3": np.array([1.0, 2.0, 3.0]),
    "high4": np.array([4.0, 5.0, 6.0, 7.0]),
    "single": np.array([5.0]),
    "single2": np.array([7.5]),
    "pair": np.array([1.0, 2.0]),
    "pair2": np.array([3.0, 9.0]),
    "empty": np.array([], dtype=float),
    "arange1": np.arange(1.0, 2.0),
    "arange2": np.arange(1.0, 3.0),
    "arange3": np.arange(1.0, 4.0),
    "arange4": np.array([1.0, 2.0, 3.0, 5.0]),
    "arange7": np.array([3.0, 1.0, 4.0, 1.0, 5.0, 9.0, 2.0]),
    "arange12": np.array([12.0, 7.0, 3.0, 14.0, 8.0, 1.0, 9.0, 11.0, 2.0, 6.0, 13.0, 5.0]),
    "zeros3": np.zeros(3),
    "tiny_values": np.array([1e-8, 2e-7, 3.0]),
    "big_values": np.array([1e7, 2.5e7, -3.0]),
    "negatives": np.array([-1.5, -0.25, -3.125, 0.5]),
    "outliers": np.array([-20.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0, 30.0]),
    "outliers_high": np.array([10.0, 10.5, 11.0, 11.2, 11.9, 12.4, 13.0, 25.0, 40.0]),
}

fixture = {
    "generated_by": "tools/stats/make_stats_fixtures.py",
    "versions": {"python": sys.version.split()[0], "numpy": np.__version__, "pandas": pd.__version__,
                 "scipy": scipy.__version__, "statsmodels": statsmodels.__version__, "mpmath": mpmath.__version__,
                 "matplotlib": matplotlib.__version__},
    "samples": {k: [float(x) for x in v] for k, v in samples.items()},
}

# --- pandas Series.describe() -------------------------------------------------------------------
describe = {}
for name, v in samples.items():
    d = pd.Series(v, dtype=float).describe()
    describe[name] = {"count": num(d["count"]), "mean": num(d["mean"]), "std": num(d["std"]),
                      "min": num(d["min"]), "q25": num(d["25%"]), "q50": num(d["50%"]),
                      "q75": num(d["75%"]), "max": num(d["max"])}
fixture["describe"] = describe

# --- pandas DataFrame.describe() printed and as CSV ---------------------------------------------
tables = []
for columns in (["stateful", "stateless", "stateless_shuffle"],
                ["stateful", "stateful2"],
                ["arange4", "zeros3", "empty", "single", "tiny_values", "big_values", "negatives"],
                ["outliers", "ties_a", "pair"]):
    df = pd.DataFrame({c: pd.Series(samples[c], dtype=float) for c in columns})
    d = df.describe()
    tables.append({"columns": columns, "text": str(d), "csv": d.to_csv()})
# One column named "results", as in the tutorial's harness.
d = pd.DataFrame({"results": samples["stateful"]}).describe()
tables.append({"columns": ["stateful"], "rename": ["results"], "text": str(d), "csv": d.to_csv()})
fixture["describe_tables"] = tables


# --- Welch t-test, mean difference and its 95% Welch CI -------------------------------------------
def welch(a, b):
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    res = stats.ttest_ind(a, b, equal_var=False)
    with np.errstate(divide="ignore", invalid="ignore"):
        va, vb = a.var(ddof=1) / len(a), b.var(ddof=1) / len(b)
        df = (va + vb) ** 2 / (va ** 2 / (len(a) - 1) + vb ** 2 / (len(b) - 1))
        if np.isnan(df):
            df = 1.0  # scipy's convention when both variances are zero
        se = math.sqrt(va + vb) if not np.isnan(va + vb) else float("nan")
        diff = a.mean() - b.mean()
        half = stats.t.ppf(0.975, df) * se
    return {"t": num(res.statistic), "df": num(df), "p": num(res.pvalue), "diff": num(diff),
            "se": num(se), "ci_low": num(diff - half), "ci_high": num(diff + half)}


welch_pairs = [("stateful", "stateless"), ("stateful", "stateful2"), ("stateless", "stateless_shuffle"),
               ("small5", "small6"), ("tiny3", "other20"), ("pair", "pair2"), ("pair", "high4"),
               ("const5", "const4_a"), ("const4_a", "const5"), ("low3", "const5"), ("ties_a", "ties_b"),
               ("noseed_3", "stateful")]
with np.errstate(all="ignore"):
    fixture["welch"] = [dict(a=a, b=b, **welch(samples[a], samples[b])) for a, b in welch_pairs]
    # Degenerate inputs: scipy returns NaN.
    fixture["welch_nan"] = [{"a": a, "b": b, "p": num(stats.ttest_ind(samples[a], samples[b],
                                                                      equal_var=False).pvalue)}
                            for a, b in [("single", "pair"), ("const4_a", "const4_b"), ("single", "single2")]]


# --- Mann-Whitney U (scipy defaults: two-sided, continuity correction, method='auto') ------------
def mwu_method(x, y):
    if len(x) > 8 and len(y) > 8:
        return "asymptotic"
    xy = np.concatenate([x, y])
    return "asymptotic" if len(np.unique(xy)) != len(xy) else "exact"


mw_pairs = [("small5", "small6"), ("tiny3", "other20"), ("eight_a", "eight_b"), ("nine_a", "nine_b"),
            ("eight_a", "other30"), ("stateful", "stateless"), ("stateless", "stateless_shuffle"),
            ("ties_a", "ties_b"), ("const4_a", "const4_b"), ("low3", "high4"), ("high4", "low3"),
            ("single", "single2"), ("single", "pair2"), ("noseed_3", "stateful"), ("outliers", "arange12")]
mw = []
for x, y in mw_pairs:
    r = stats.mannwhitneyu(samples[x], samples[y], alternative="two-sided")
    mw.append({"x": x, "y": y, "u1": num(r.statistic), "p": num(r.pvalue),
               "method": mwu_method(samples[x], samples[y])})
fixture["mannwhitney"] = mw

# --- Holm (statsmodels multipletests method='holm') ---------------------------------------------
holm_inputs = [[0.01, 0.04, 0.03, 0.005], [0.5, 0.5, 0.5], [0.012, 0.3, 0.04, 0.04, 0.001, 0.9],
               [0.2], [0.0, 1.0, 0.02], [0.04, 0.03, 0.02, 0.01], [0.6, 0.7, 0.04]]
fixture["holm"] = [{"p": p, "adjusted": [float(v) for v in multipletests(p, method="holm")[1]]}
                   for p in holm_inputs]

# --- Pairwise comparisons of the tutorial-like configurations -------------------------------------
names = ["stateful", "stateless", "stateless_shuffle"]
pairs = [(names[i], names[j]) for i in range(len(names)) for j in range(i + 1, len(names))]
wp = [stats.ttest_ind(samples[a], samples[b], equal_var=False).pvalue for a, b in pairs]
mp = [stats.mannwhitneyu(samples[a], samples[b], alternative="two-sided").pvalue for a, b in pairs]
wh = multipletests(wp, method="holm")[1]
mh = multipletests(mp, method="holm")[1]
fixture["pairwise"] = [{"first": a, "second": b, "welch_p": float(wp[k]), "welch_holm": float(wh[k]),
                        "mw_p": float(mp[k]), "mw_holm": float(mh[k]),
                        "diff": float(samples[a].mean() - samples[b].mean())}
                       for k, (a, b) in enumerate(pairs)]

# --- Distributions -----------------------------------------------------------------------------
fixture["t_cdf"] = [{"t": t, "df": df, "cdf": float(stats.t.cdf(t, df))}
                    for df in (1.0, 2.0, 3.5, 9.0, 17.38, 100.0, 1e5)
                    for t in (-50.0, -3.0, -1.2, -0.1, 0.0, 0.5, 2.262, 10.0, 200.0)]


def t_ppf_exact(p, df):
    """The t quantile to 40 digits with mpmath: scipy's stdtrit is only good to about 1e-9 relative."""
    if p == 0.5:
        return 0.0
    mpmath.mp.dps = 40
    q = 1 - mpmath.mpf(p) if p > 0.5 else mpmath.mpf(p)  # the smaller tail of the double p, exactly
    nu = mpmath.mpf(df)
    tail = lambda t: mpmath.betainc(nu / 2, mpmath.mpf(1) / 2, 0, nu / (nu + t * t), regularized=True) / 2 - q
    t = mpmath.findroot(tail, mpmath.mpf(abs(float(stats.t.ppf(p, df)))))
    return float(t if p > 0.5 else -t)


fixture["t_ppf"] = [{"p": p, "df": df, "q": float(stats.t.ppf(p, df)), "q_exact": t_ppf_exact(p, df)}
                    for df in (1.0, 2.0, 3.5, 9.0, 17.38, 100.0, 1e5)
                    for p in (1e-6, 0.025, 0.3, 0.5, 0.6, 0.9, 0.975, 0.995, 0.9995)]
fixture["norm_cdf"] = [{"z": z, "cdf": float(stats.norm.cdf(z))}
                       for z in (-38.0, -20.0, -8.5, -3.0, -1.96, -0.5, 0.0, 1e-9, 0.7, 2.5, 6.0, 9.0)]

# --- Standard error of the mean of the first n results ------------------------------------------
pool = samples["pool30"]
fixture["sem"] = {"name": "pool30", "n": list(range(2, len(pool) + 1)),
                  "mean": [float(pool[:n].mean()) for n in range(2, len(pool) + 1)],
                  "std": [float(pool[:n].std(ddof=1)) for n in range(2, len(pool) + 1)],
                  "sem": [float(stats.sem(pool[:n])) for n in range(2, len(pool) + 1)]}

# --- matplotlib box plot statistics (whis = 1.5) ------------------------------------------------
boxes = []
for name in ("outliers", "outliers_high", "noseed_3", "stateful", "ties_a", "const4_b", "single", "pair",
             "arange7", "empty"):
    with np.errstate(all="ignore"):
        s = cbook.boxplot_stats(samples[name], whis=1.5)[0]
    boxes.append({"name": name, "mean": num(s["mean"]), "med": num(s["med"]), "q1": num(s["q1"]),
                  "q3": num(s["q3"]), "iqr": num(s["iqr"]), "whislo": num(s["whislo"]),
                  "whishi": num(s["whishi"]), "fliers": [float(f) for f in s["fliers"]]})
fixture["boxplot"] = boxes

with open(OUT, "w", encoding="utf-8") as f:
    json.dump(fixture, f, indent=1, allow_nan=False)
    f.write("\n")
print("wrote", os.path.normpath(OUT))
