"""Prints the Markdown tables of benchmarks/compare-with-pytorch.sh from the JSON lines its rounds wrote.

Usage: compare_tables.py WORK ROUNDS CORES CPU LOAD MODE...   (run by the script, not by hand)
Figures are medians over the rounds; each ratio is taken within a round (the tools ran back to back) and
then the median of those ratios is shown.
"""
import json
import os
import statistics
import sys

work, rounds, cores, cpu, load = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5]
modes = list(dict.fromkeys(sys.argv[6:]))
BATCHED = "batched-b64-t100-in64-h256"


def read(name):
    """The JSON lines of one file per round: a list (one entry per round) of lists of dicts."""
    out = []
    for r in range(1, rounds + 1):
        path = os.path.join(work, f"{name}-{r}.jsonl")
        if not os.path.exists(path):
            out.append(None)
            continue
        with open(path) as f:
            out.append([json.loads(line) for line in f if line.strip().startswith("{")])
    return out


def by(rows, key):
    return None if rows is None else {key(x): x for x in rows}


def med(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def fmt(v, digits=1):
    if v is None:
        return "-"
    if abs(v) >= 1000:
        return f"{v:,.0f}"
    return f"{v:.{digits}f}"


def ratio(v):
    return "-" if v is None else (f"{v:.0f}×" if v >= 100 else f"{v:.2f}×" if v < 10 else f"{v:.1f}×")


def seed_tables():
    ours = [by(x, lambda r: r["workload"]) for x in read("seed-ours")]
    torch = [by(x, lambda r: r["workload"]) for x in read("seed-torch")]
    ts = [by(x, lambda r: r["workload"]) for x in read("seed-ts")]
    isa = next((o[BATCHED].get("isa") for o in ours if o and BATCHED in o), "?")
    print(f"Seed workloads, one thread each, median of {rounds} rounds (each round: lstmlab bench --runs 3, then "
          f"torch_seed_workloads.py 1, then TorchSharp seed 1). Kernels: {isa}. Machine: {cores} × {cpu}. Load after: {load}.")
    print()
    print("| workload | unit | LstmLab | PyTorch | TorchSharp | vs PyTorch | vs TorchSharp | LstmLab peak MB | skill (LstmLab / PyTorch / TorchSharp) |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")

    def skill(r):
        if r is None:
            return "-"
        for k in ("accuracy", "rmse", "rmse_mean"):
            if k in r:
                return f"{r[k]:.3f}"
        return ""

    def row(label, name, ours_rounds, torch_rounds, ts_rounds, gflops):
        key = "gflops" if gflops else "us_per_update"
        o = [x[name][key] if x and name in x else None for x in ours_rounds]
        t = [x[name][key] if x and name in x else None for x in torch_rounds]
        s = [x[name][key] if x and name in x else None for x in ts_rounds]
        # Higher is better for LstmLab in both ratios: peer time over ours, or our GFLOP/s over the peer's.
        rt = [(a / b if gflops else b / a) if a and b else None for a, b in zip(o, t)]
        rs = [(a / b if gflops else b / a) if a and b else None for a, b in zip(o, s)]
        peak = med([x[name].get("peak_memory_mb") if x and name in x else None for x in ours_rounds])
        first = lambda rs_: next((x[name] for x in rs_ if x and name in x), None)
        print(f"| {label} | {'GFLOP/s' if gflops else 'µs/update'} | {fmt(med(o), 2 if not gflops else 1)} | {fmt(med(t))} | {fmt(med(s))} "
              f"| {ratio(med(rt))} | {ratio(med(rs))} | {fmt(peak, 0)} | {skill(first(ours_rounds))} / {skill(first(torch_rounds))} / {skill(first(ts_rounds))} |")

    for name in ("memory-demo", "shampoo-stateful", "echo-lag-context"):
        row(name, name, ours, torch, ts, gflops=False)
    row("batched, in the full `lstmlab bench` run", BATCHED, ours, torch, ts, gflops=True)
    if cores > 1:
        st = [by(x, lambda r: r["workload"]) for x in read("st-ours")]
        mt = [by(x, lambda r: r["workload"]) for x in read("mt-ours")]
        mtt = [by(x, lambda r: r["workload"]) for x in read("mt-torch")]
        mts = [by(x, lambda r: r["workload"]) for x in read("mt-ts")]
        row("batched, `--workload` alone, 1 thread", BATCHED, st, torch, ts, gflops=True)
        row(f"batched, {cores} threads (all three)", BATCHED, mt, mtt, mts, gflops=True)
        speedups = [m[BATCHED]["gflops"] / s[BATCHED]["gflops"] if m and s and BATCHED in m and BATCHED in s else None for m, s in zip(mt, st)]
        full = [o[BATCHED]["gflops"] / s[BATCHED]["gflops"] if o and s and BATCHED in o and BATCHED in s else None for o, s in zip(ours, st)]
        print()
        print(f"LstmLab batched on {cores} engine threads over 1 thread: {ratio(med(speedups))} (median of the rounds' ratios); "
              f"in the full bench run over `--workload` alone: {ratio(med(full))}.")
    print()


def sweep_table():
    key = lambda r: (r["h"], r["T"], r["B"], r["in"])
    ours = [by(x, key) for x in read("sweep-ours")]
    torch = [by(x, key) for x in read("sweep-torch")]
    ts = [by(x, key) for x in read("sweep-ts")]
    isa = next((v.get("isa") for o in ours if o for v in o.values()), "?")
    print(f"Step-time sweep (stateless LSTM(h) -> Dense(1), MSE, Adam; one thread each; median of {rounds} rounds). Kernels: {isa}.")
    print()
    print("| h | T | B | in | LstmLab ms/step | LstmLab GFLOP/s | PyTorch ms/step | TorchSharp ms/step | vs PyTorch | vs TorchSharp |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    points = list(dict.fromkeys(k for o in ours if o for k in o))
    for p in points:
        o = [x[p]["ms_per_step"] if x and p in x else None for x in ours]
        g = [x[p]["gflops"] if x and p in x else None for x in ours]
        t = [x[p]["ms_per_step"] if x and p in x else None for x in torch]
        s = [x[p]["ms_per_step"] if x and p in x else None for x in ts]
        rt = [b / a if a and b else None for a, b in zip(o, t)]
        rs = [b / a if a and b else None for a, b in zip(o, s)]
        print(f"| {p[0]} | {p[1]} | {p[2]} | {p[3]} | {fmt(med(o), 3)} | {fmt(med(g))} | {fmt(med(t), 3)} | {fmt(med(s), 3)} | {ratio(med(rt))} | {ratio(med(rs))} |")
    print()


def gemm_table():
    key = lambda r: r["gemm"]
    ours = [by(x, key) for x in read("gemm-ours")]
    blas = [by(x, key) for x in read("gemm-openblas")]
    isa = next((v.get("isa") for o in ours if o for v in o.values()), "?")
    print(f"Matrix multiply C = A·B (float32, M×K×N), one thread, median of {rounds} rounds. Kernels: {isa}; OpenBLAS through numpy, OPENBLAS_NUM_THREADS=1.")
    print()
    print("| M×K×N | LstmLab GFLOP/s | OpenBLAS GFLOP/s | LstmLab / OpenBLAS | the same by CPU time |")
    print("| --- | --- | --- | --- | --- |")
    for shape in list(dict.fromkeys(k for o in ours if o for k in o)):
        o = [x[shape]["gflops"] if x and shape in x else None for x in ours]
        b = [x[shape]["gflops"] if x and shape in x else None for x in blas]
        r = [a / c if a and c else None for a, c in zip(o, b)]
        # Per-product CPU seconds (less moved by other processes than wall time): OpenBLAS's over ours.
        oc = [x[shape].get("cpu_seconds") if x and shape in x else None for x in ours]
        bc = [x[shape].get("cpu_seconds") if x and shape in x else None for x in blas]
        rc = [c / a if a and c else None for a, c in zip(oc, bc)]
        print(f"| {shape} | {fmt(med(o))} | {fmt(med(b))} | {ratio(med(r))} | {ratio(med(rc))} |")
    print()


for mode in modes:
    {"seed": seed_tables, "sweep": sweep_table, "gemm": gemm_table}[mode]()
