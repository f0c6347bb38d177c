"""Expected values of PairwiseComparisons' Holm-adjusted interval, from scipy and statsmodels.

Run by hand with Debian's Python (apt-get install -y python3-scipy python3-statsmodels):
    /usr/bin/python3 tools/stats/holm_interval.py
It prints the level and the interval of the first pair (stateful vs stateless) of the committed samples
in tests/LstmLab.Experiments.Tests/Fixtures/stats_expected.json; the numbers go into HolmExpected in
tests/LstmLab.Experiments.Tests/Statistics/PairwiseComparisonsTests.cs.

The interval is the Welch interval of mean(a) - mean(b) at level 1 - alpha * p / p_holm, where p is
Welch's p-value and p_holm its Holm adjustment over the family of all pairs: it excludes 0 exactly when
p_holm < alpha.
"""
import json
import pathlib

import numpy as np
from scipy import stats
from statsmodels.stats.multitest import multipletests

ROOT = pathlib.Path(__file__).resolve().parents[2]
samples = json.loads((ROOT / "tests/LstmLab.Experiments.Tests/Fixtures/stats_expected.json").read_text())["samples"]
names = ["stateful", "stateless", "stateless_shuffle"]
pairs = [(0, 1), (0, 2), (1, 2)]
alpha = 0.05
p = [stats.ttest_ind(samples[names[i]], samples[names[j]], equal_var=False).pvalue for i, j in pairs]
holm = multipletests(p, alpha=alpha, method="holm")[1]
for k, (i, j) in enumerate(pairs):
    a, b = np.array(samples[names[i]]), np.array(samples[names[j]])
    va, vb = a.var(ddof=1) / len(a), b.var(ddof=1) / len(b)
    df = (va + vb) ** 2 / (va ** 2 / (len(a) - 1) + vb ** 2 / (len(b) - 1))
    level = 1 - alpha * p[k] / holm[k]
    half = stats.t.ppf(0.5 + level / 2, df) * np.sqrt(va + vb)
    diff = a.mean() - b.mean()
    print(f"{names[i]} vs {names[j]}: level {level!r}, low {diff - half!r}, high {diff + half!r}, holm p {holm[k]!r}")
