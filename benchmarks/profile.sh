#!/usr/bin/env bash
# Profiles one bench workload with perf (software clock events: no hardware counters needed) and prints
# where its CPU time goes (benchmarks/profile_breakdown.py).
# Usage: benchmarks/profile.sh WORKLOAD [THREADS] [RUNS]   e.g. benchmarks/profile.sh batched-b64-t100-in64-h256 2
# DOTNET_PerfMapEnabled=1 writes /tmp/perf-PID.map so that perf names the JIT-compiled frames;
# DOTNET_EnableWriteXorExecute=0 is needed too, or the JIT code sits in a double-mapped region perf cannot name.
set -euo pipefail
workload="${1:?usage: benchmarks/profile.sh WORKLOAD [THREADS] [RUNS]}"
threads="${2:-1}"
runs="${3:-3}"
here="$(cd "$(dirname "$0")" && pwd)"
root="$here/.."
case "$workload" in
    echo-lag-context) frame=RunEchoLagContext ;;
    memory-demo) frame=RunMemoryDemo ;;
    shampoo-stateful) frame=RunShampooStateful ;;
    batched-*) frame=RunBatched ;;
    *) echo "error: unknown workload '$workload'" >&2; exit 2 ;;
esac
command -v perf >/dev/null || { echo "error: perf is not installed (apt-get install linux-perf)" >&2; exit 2; }
dotnet build "$root/src/LstmLab.Cli" -c Release -nologo -v q >/dev/null
cli="$root/src/LstmLab.Cli/bin/Release/net10.0/LstmLab.Cli"
data="$(mktemp /tmp/lstmlab-profile-XXXXXX.data)"
DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0 perf record -F 1000 -e cpu-clock -g -o "$data" -- \
    "$cli" bench --workload "$workload" --threads "$threads" --runs "$runs" --json
extra=()
[ "$threads" -gt 1 ] && extra=(--threads)
perf script -i "$data" 2>/dev/null | python3 "$here/profile_breakdown.py" "$frame" "${extra[@]}"
rm -f "$data"
