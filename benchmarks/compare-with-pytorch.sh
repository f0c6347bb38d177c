#!/usr/bin/env bash
# Times LstmLab (lstmlab bench, Release build) against its two peers on this machine, back to back in each
# round, and prints Markdown tables (ours, PyTorch, TorchSharp, both ratios) with the medians over the rounds:
#
#   (default)  the seed workloads (../shared/anchors/torch_seed_workloads.py and TorchSharp's `seed`), one
#              thread each, plus the batched workload on all cores (our engine threads, torch threads);
#   --sweep    the step-time sweep of a stateless LSTM(h) -> Dense(1), MSE, Adam (torch_sweep.py and
#              TorchSharp's `sweep`) over h 8..1024, T 1..1000, batch 1..256;
#   --gemm     our matrix multiply against OpenBLAS single-thread (numpy, OPENBLAS_NUM_THREADS=1);
#   --all      all three.
#
# Usage: benchmarks/compare-with-pytorch.sh [--sweep | --gemm | --all] [--rounds N] [--points "h,T,B ..."]
# Environment: ARTIFACTS (dotnet artifacts path, default <repo>/artifacts), PYTHON (default /usr/bin/python3),
#   ANCHORS (default <repo>/../shared/anchors), TORCHSHARP (the folder setup.sh built, default /work/torchsharp;
#   build it with: bash ../shared/anchors/torchsharp/setup.sh /work/torchsharp), KEEP (a folder for the raw JSON).
# A peer that cannot run is skipped with a message. Timings move with the machine's load: run it on a quiet
# machine (see the load figures it prints before and after).
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
artifacts="${ARTIFACTS:-$repo/artifacts}"
python="${PYTHON:-/usr/bin/python3}"
anchors="${ANCHORS:-$repo/../shared/anchors}"
torchsharp="${TORCHSHARP:-/work/torchsharp}"
rounds=3
modes=()
points="8,50,32 32,50,32 128,50,32 256,50,32 512,50,32 1024,50,32 128,1,32 128,10,32 128,100,32 128,1000,32 128,50,1 128,50,8 128,50,64 128,50,256"
shapes="2048x2048x2048 64x256x1024 6400x64x1024 6400x256x1024"

while [[ $# -gt 0 ]]; do
    case "$1" in
        --sweep) modes+=(sweep) ;;
        --gemm) modes+=(gemm) ;;
        --all) modes+=(seed sweep gemm) ;;
        --rounds) rounds="$2"; shift ;;
        --points) points="$2"; shift ;;
        *) echo "error: unknown option '$1' (expected --sweep, --gemm, --all, --rounds N, --points \"h,T,B ...\")." >&2; exit 2 ;;
    esac
    shift
done
[[ ${#modes[@]} -eq 0 ]] && modes=(seed)
if ! [[ "$rounds" =~ ^[1-9][0-9]*$ ]]; then
    echo "error: --rounds must be a positive integer (got '$rounds')." >&2
    exit 2
fi

work="${KEEP:-$(mktemp -d)}"
mkdir -p "$work"
[[ -z "${KEEP:-}" ]] && trap 'rm -rf "$work"' EXIT

echo "Building LstmLab (Release) into $artifacts ..." >&2
dotnet build "$repo/src/LstmLab.Cli/LstmLab.Cli.csproj" -c Release --artifacts-path "$artifacts" -nologo -v quiet >&2
lstmlab="$artifacts/bin/LstmLab.Cli/release/LstmLab.Cli"
cores="$(nproc)"

have_torch=1
if ! "$python" -c "import torch" 2>/dev/null; then
    have_torch=0
    echo "PyTorch skipped: $python cannot import torch (apt-get install -y python3-torch libopenblas0-pthread; without" \
         "libopenblas0-pthread PyTorch falls back to the slow reference BLAS and flatters LstmLab)." >&2
fi
have_ts=1
if [[ ! -f "$torchsharp/bin/TsBench.dll" ]]; then
    have_ts=0
    echo "TorchSharp skipped: no $torchsharp/bin/TsBench.dll (build it: bash $anchors/torchsharp/setup.sh $torchsharp," \
         "needs apt-get install -y patchelf; or set TORCHSHARP)." >&2
fi
have_numpy=1
"$python" -c "import numpy" 2>/dev/null || { have_numpy=0; echo "OpenBLAS skipped: $python cannot import numpy." >&2; }

load() { uptime | sed 's/.*load average: *//'; }
cpu="$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
echo "Machine: $cores CPUs, $cpu; load before: $(load)" >&2

# Runs torch_seed_workloads.py's large_batched alone (the script itself runs all four workloads).
torch_batched() {
    OPENBLAS_NUM_THREADS="$1" "$python" - "$anchors/torch_seed_workloads.py" "$1" <<'PY'
import json, sys
source = open(sys.argv[1]).read().split('if __name__')[0]
sys.argv = [sys.argv[1], sys.argv[2]]
exec(compile(source, "torch_seed_workloads.py", "exec"))
torch.manual_seed(1)
print(json.dumps(large_batched()), flush=True)
PY
}

# numpy (OpenBLAS) C = A·B with our protocol: warm-up 0.3 s, then the median of 5 rounds of about 0.2 s.
numpy_gemm() {
    OPENBLAS_NUM_THREADS=1 "$python" - "$@" <<'PY'
import json, sys, time
import numpy as np
for shape in sys.argv[1:]:
    m, k, n = (int(v) for v in shape.split('x'))
    rng = np.random.default_rng(1)
    a = rng.uniform(-1, 1, (m, k)).astype(np.float32); b = rng.uniform(-1, 1, (k, n)).astype(np.float32)
    c = np.empty((m, n), np.float32)
    t = time.perf_counter(); count = 0
    while count < 1 or time.perf_counter() - t < 0.3:
        np.matmul(a, b, out=c); count += 1
    per = max(1, int(count * 0.2 / (time.perf_counter() - t)))
    rounds = []
    cpu = time.process_time()
    for _ in range(5):
        t0 = time.perf_counter()
        for _ in range(per):
            np.matmul(a, b, out=c)
        rounds.append((time.perf_counter() - t0) / per)
    cpu = (time.process_time() - cpu) / (5 * per)
    s = sorted(rounds)[2]
    print(json.dumps(dict(tool="openblas", gemm=shape, m=m, k=k, n=n, seconds=s, gflops=2.0 * m * k * n / s / 1e9, cpu_seconds=cpu)), flush=True)
PY
}

for mode in "${modes[@]}"; do
    for ((r = 1; r <= rounds; r++)); do
        echo "[$mode] round $r of $rounds (load $(load)) ..." >&2
        case "$mode" in
            seed)
                "$lstmlab" bench --json --runs 3 2>/dev/null > "$work/seed-ours-$r.jsonl"
                if [[ "$cores" -gt 1 ]]; then
                    "$lstmlab" bench --json --runs 3 --threads "$cores" --workload batched-b64-t100-in64-h256 2>/dev/null > "$work/mt-ours-$r.jsonl"
                    "$lstmlab" bench --json --runs 3 --threads 1 --workload batched-b64-t100-in64-h256 2>/dev/null > "$work/st-ours-$r.jsonl"
                fi
                if [[ $have_torch -eq 1 ]]; then
                    OPENBLAS_NUM_THREADS=1 "$python" "$anchors/torch_seed_workloads.py" 1 > "$work/seed-torch-$r.jsonl"
                    [[ "$cores" -gt 1 ]] && torch_batched "$cores" > "$work/mt-torch-$r.jsonl"
                fi
                if [[ $have_ts -eq 1 ]]; then
                    OMP_NUM_THREADS=1 dotnet "$torchsharp/bin/TsBench.dll" seed 1 > "$work/seed-ts-$r.jsonl"
                    [[ "$cores" -gt 1 ]] && OMP_NUM_THREADS="$cores" dotnet "$torchsharp/bin/TsBench.dll" seed "$cores" batched > "$work/mt-ts-$r.jsonl"
                fi
                ;;
            sweep)
                # shellcheck disable=SC2086
                "$lstmlab" bench --sweep $points > "$work/sweep-ours-$r.jsonl"
                # shellcheck disable=SC2086
                [[ $have_torch -eq 1 ]] && OPENBLAS_NUM_THREADS=1 "$python" "$anchors/torch_sweep.py" 1 $points > "$work/sweep-torch-$r.jsonl"
                # shellcheck disable=SC2086
                [[ $have_ts -eq 1 ]] && OMP_NUM_THREADS=1 dotnet "$torchsharp/bin/TsBench.dll" sweep 1 $points > "$work/sweep-ts-$r.jsonl"
                ;;
            gemm)
                # shellcheck disable=SC2086
                "$lstmlab" bench --gemm $shapes > "$work/gemm-ours-$r.jsonl"
                # shellcheck disable=SC2086
                [[ $have_numpy -eq 1 ]] && numpy_gemm $shapes > "$work/gemm-openblas-$r.jsonl"
                ;;
        esac
    done
done
echo "Load after: $(load)" >&2

"$python" "$repo/benchmarks/compare_tables.py" "$work" "$rounds" "$cores" "$cpu" "$(load)" "${modes[@]}"
