#!/usr/bin/env python3
"""Writes src/LstmLab/Data/Resources/treasury-10y.csv (`lstmlab ... --data treasury-10y`) from FRED's DGS10.csv.

Run by hand (the tests never call it):

    python3 tools/datasets/treasury_10y.py PATH/TO/DGS10.csv

Source: the 10-year U.S. Treasury constant-maturity yield, percent, business days; published by the Board of
Governors of the Federal Reserve System in its H.15 release and served by FRED (Federal Reserve Bank of St. Louis)
as series DGS10 ("Public Domain: Citation Requested"). The copy used is DGS10.csv in the GitHub repository
economics-databases/Interest-rate, commit 2d88d95 (a FRED download with header "DATE,DGS10", 1962-01-02 to
2021-01-04). Kept: 2008-01-02 to 2020-12-31; left out: the rows FRED marks "." (market holidays, no value).
"""
import sys

rows = open(sys.argv[1], encoding="ascii").read().splitlines()
assert rows[0] == "DATE,DGS10", rows[0]
out, dropped = ["date,dgs10"], 0
for row in rows[1:]:
    date, value = row.split(",")
    if "2008-01-01" <= date <= "2020-12-31":
        if value == ".":
            dropped += 1
            continue
        float(value)
        out.append(f"{date},{value}")
with open("src/LstmLab/Data/Resources/treasury-10y.csv", "w", encoding="ascii", newline="\n") as f:
    f.write("\n".join(out) + "\n")
print(f"{len(out) - 1} rows, {dropped} holidays left out, first {out[1]}, last {out[-1]}")
