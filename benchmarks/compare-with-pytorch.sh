#!/usr/bin/env bash
# Times LstmLab's training workloads (lstmlab bench, Release build) and the PyTorch anchor script
# (../shared/anchors/torch_seed_workloads.py, CPU, one thread) one after the other on this machine,
# then prints ours, PyTorch's and the ratio for each workload.
#
# Usage: benchmarks/compare-with-pytorch.sh [lstmlab bench options, e.g. --runs 5 or --no-warmup]
# Environment: ARTIFACTS (dotnet artifacts path, default <repo>/artifacts), PYTHON (default /usr/bin/python3),
#              ANCHOR (default <repo>/../shared/anchors/torch_seed_workloads.py).
# Timings move with the machine's load: run it on a quiet machine, or several times, and look at `uptime`.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
artifacts="${ARTIFACTS:-$repo/artifacts}"
python="${PYTHON:-/usr/bin/python3}"
anchor="${ANCHOR:-$repo/../shared/anchors/torch_seed_workloads.py}"

if [[ ! -f "$anchor" ]]; then
    echo "error: the PyTorch anchor script is not at $anchor (set ANCHOR=/path/to/torch_seed_workloads.py)." >&2
    exit 2
fi
if ! "$python" -c "import torch" 2>/dev/null; then
    cat >&2 <<MSG
error: $python cannot import torch, so there is nothing to compare with.
Set up PyTorch (CPU) for the system Python, with the threaded OpenBLAS it should use
(without libopenblas0-pthread PyTorch falls back to the slow reference BLAS and flatters LstmLab):

    apt-get update && apt-get install -y python3-torch libopenblas0-pthread

or point PYTHON at an interpreter that has torch.
MSG
    exit 3
fi

echo "Building LstmLab (Release) into $artifacts ..." >&2
dotnet build "$repo/src/LstmLab.Cli/LstmLab.Cli.csproj" -c Release --artifacts-path "$artifacts" -nologo -v quiet >&2
lstmlab="$artifacts/bin/LstmLab.Cli/release/LstmLab.Cli"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

echo "Machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'); load:$(uptime | sed 's/.*load average://')" >&2
echo "Running lstmlab bench --threads 1 $* ..." >&2
"$lstmlab" bench --threads 1 --json "$@" > "$work/ours.jsonl"
echo "Running OPENBLAS_NUM_THREADS=1 $python $anchor 1 ..." >&2
OPENBLAS_NUM_THREADS=1 "$python" "$anchor" 1 > "$work/torch.jsonl"
echo "Load after both:$(uptime | sed 's/.*load average://')" >&2

"$python" - "$work/ours.jsonl" "$work/torch.jsonl" <<'PY'
import json, sys

def load(path):
    with open(path) as f:
        return {r["workload"]: r for r in (json.loads(line) for line in f if line.strip().startswith("{"))}

ours, torch = load(sys.argv[1]), load(sys.argv[2])

def skill(r):
    if "accuracy" in r:
        return f"acc {r['accuracy']:.3f}"
    if "rmse" in r or "rmse_mean" in r:
        return f"rmse {r.get('rmse', r.get('rmse_mean')):.1f}"
    return ""

head = f"{'workload':<28} {'ours us/upd':>12} {'PyTorch us/upd':>15} {'speed-up':>9} {'ours GFLOP/s':>13} {'PyTorch GFLOP/s':>16} {'GFLOP/s ratio':>14}  skill (ours / PyTorch)"
print(head)
print("-" * len(head))
for name in list(dict.fromkeys(list(torch) + list(ours))):
    o, t = ours.get(name), torch.get(name)
    if o is None or t is None:
        print(f"{name:<28} missing from {'ours' if o is None else 'PyTorch'}")
        continue
    speedup = t["us_per_update"] / o["us_per_update"]
    gf_o, gf_t = o.get("gflops"), t.get("gflops")
    gf = f"{gf_o:13.1f} {gf_t:16.1f} {gf_o / gf_t:13.2f}x" if gf_o and gf_t else f"{'-':>13} {'-':>16} {'-':>14}"
    print(f"{name:<28} {o['us_per_update']:12.2f} {t['us_per_update']:15.2f} {speedup:8.1f}x {gf}  {skill(o)} / {skill(t)}")
print()
print("speed-up = PyTorch us/update / ours (higher is better for LstmLab); GFLOP/s ratio = ours / PyTorch.")
runs = next(iter(ours.values()))
if runs.get("runs", 1) > 1:
    print(f"Ours: median of {runs['runs']} runs after an untimed warm-up (first_run_seconds in the JSON is the cold run). PyTorch: one run each.")
else:
    print("Ours: one cold run each (JIT compilation included). PyTorch: one run each.")
PY
