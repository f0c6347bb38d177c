#!/usr/bin/env bash
# Measures the distributed runner (README, issue 17): repeats per second of one fixed experiment with 1 and
# with 2 worker processes (one thread each), the overhead per unit (store and queue time against training
# time, from the store's own timestamps), where each worker's CPU time went (its unit threads, the JIT, the
# rest, from /proc/PID/task/*/stat), and the database's load per unit (its server processes' CPU time,
# WAL bytes, committed transactions).
#   tools/distributed/measure.sh [UNITS] [EPOCHS] [NEURONS] [LOSS_EVERY]
# LOSS_EVERY (default 1) is the experiment's loss_every: record the training loss every N epochs only.
# Default: 96 units of the shampoo stateful configuration with 32 LSTM units and 4500 epochs, about 1 s of
# training each on an idle core of the 2-core AMD EPYC here, so each run lasts a minute or more: every worker
# process spends some 3 s of CPU once, in its first minute, on the runtime's tiered-compilation thread
# (re-compiling hot methods with profile-guided optimisation), which a run of a few seconds would mostly measure.
# Prints a Markdown table for the README. Starts its own throwaway PostgreSQL (.ci/postgres.sh) and stops it at
# the end. Run it on a quiet machine: it measures wall time.
set -euo pipefail
cd "$(dirname "$0")/../.."
units=${1:-96}
epochs=${2:-4500}
neurons=${3:-32}
loss_every=${4:-1}
dotnet build -c Release src/LstmLab.Cli -nodeReuse:false -v q >/dev/null
cli=(dotnet src/LstmLab.Cli/bin/Release/net10.0/LstmLab.Cli.dll)
pg_env=$(.ci/postgres.sh start 2>/dev/null)
eval "$pg_env"
work=$(mktemp -d)
trap '.ci/postgres.sh stop "$LSTMLAB_PG_DIR"; rm -rf "$work"' EXIT
store=$LSTMLAB_TEST_PG
port=${store#*Port=}; port=${port%%;*}
q=(psql -h 127.0.0.1 -p "$port" -U postgres -d lstmlab -tAc)
tck=$(getconf CLK_TCK)

# CPU seconds of the PostgreSQL server: the postmaster, its live children, and the children it has reaped.
db_cpu() {
  local pm ticks=0 f
  pm=$(head -n1 "$LSTMLAB_PG_DIR/data/postmaster.pid")
  f=$(cut -d')' -f2- "/proc/$pm/stat"); set -- $f; ticks=$(( ${12} + ${13} + ${14} + ${15} ))
  for c in $(ps -o pid= --ppid "$pm"); do
    f=$(cut -d')' -f2- "/proc/$c/stat" 2>/dev/null) || continue; set -- $f; ticks=$(( ticks + ${12} + ${13} ))
  done
  echo "$ticks"
}

# Where a worker's CPU time went: "unit threads, JIT thread, everything else" in ticks (the process total
# from /proc/PID/stat includes threads that have ended).
thread_cpu() {
  local pid=$1 unit=0 jit=0 total f comm t
  for t in /proc/"$pid"/task/*; do
    comm=$(cat "$t/comm"); f=$(cut -d')' -f2- "$t/stat"); set -- $f
    case "$comm" in
      "Worker #"*) unit=$(( unit + ${12} + ${13} )) ;;
      ".NET Tiered Com"*) jit=$(( jit + ${12} + ${13} )) ;;
    esac
  done
  f=$(cut -d')' -f2- "/proc/$pid/stat"); set -- $f; total=$(( ${12} + ${13} ))
  echo "$unit $jit $(( total - unit - jit ))"
}

run() { # $1 = workers, $2 = seed (another seed, another experiment)
  local n=$1 seed=$2 name="measure-$1w"
  printf 'name: %s\ndata: shampoo\nrepeats: %s\nseed: %s\nbase:\n  epochs: %s\n  neurons: %s\n  loss_every: %s\nconfigurations:\n  stateful: {}\n' \
    "$name" "$units" "$seed" "$epochs" "$neurons" "$loss_every" >"$work/$name.yaml"
  "${cli[@]}" experiment submit "$work/$name.yaml" --store "$store" >/dev/null
  local wal0 xact0 cpu0 polls=0 launched pids=()
  wal0=$("${q[@]}" "SELECT pg_current_wal_lsn()")
  xact0=$("${q[@]}" "SELECT xact_commit FROM pg_stat_database WHERE datname = 'lstmlab'")
  cpu0=$(db_cpu)
  launched=$(date -u +%Y-%m-%dT%H:%M:%S.%6N+00:00)
  for _ in $(seq 1 "$n"); do "${cli[@]}" worker --store "$store" --threads 1 >>"$work/workers.log" 2>&1 & pids+=($!); done
  until [[ $("${q[@]}" "SELECT COUNT(*) FROM units u JOIN experiments e ON e.id = u.experiment_id WHERE e.name = '$name' AND u.state IN ('done', 'failed')") == "$units" ]]; do
    sleep 1; polls=$((polls + 1))
  done
  local wal xact cpu threads=""
  for p in "${pids[@]}"; do threads+="$(thread_cpu "$p"),"; done
  cpu=$(( $(db_cpu) - cpu0 - polls * poll_ticks_x100 / 100 ))
  wal=$("${q[@]}" "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '$wal0')")
  xact=$("${q[@]}" "SELECT xact_commit - $xact0 - $polls - 2 FROM pg_stat_database WHERE datname = 'lstmlab'")
  kill -TERM "${pids[@]}"; wait "${pids[@]}" || true
  "${cli[@]}" experiment export "$name" --store "$store" --out "$work/$name" >/dev/null
  python3 - "$work/$name" "$n" "$launched" "$threads" "$tck" "$cpu" "$wal" "$xact" "$work/rate1" <<'PY'
import csv, os, sys
from datetime import datetime
folder, workers, launched, threads, tck, db_ticks, wal, xact, rate_file = sys.argv[1:]
workers, tck, db_ticks, wal, xact = int(workers), int(tck), int(db_ticks), int(wal), int(xact)
t = datetime.fromisoformat
units = list(csv.DictReader(open(f"{folder}/units.csv")))
n = len(units)
train = {(m["configuration"], m["repeat"]): float(m["value"]) for m in csv.DictReader(open(f"{folder}/metrics.csv")) if m["name"] == "seconds"}
start = min(t(u["started"]) for u in units); end = max(t(u["finished"]) for u in units)
wall = (end - start).total_seconds()
from_launch = (end - t(launched)).total_seconds()
in_job = [(t(u["finished"]) - t(u["started"])).total_seconds() - train[(u["configuration"], u["repeat"])] for u in units]
gaps, by_worker = [], {}
for u in units: by_worker.setdefault(u["worker"], []).append(u)
for us in by_worker.values():
    us.sort(key=lambda u: u["started"])
    gaps += [(t(b["started"]) - t(a["finished"])).total_seconds() for a, b in zip(us, us[1:])]
mean = lambda xs: sum(xs) / len(xs) if xs else float("nan")
rate = n / wall
if workers == 1:
    open(rate_file, "w").write(str(rate)); speedup = ""
else:
    speedup = f" ({rate / float(open(rate_file).read()):.2f}×)"
cpu = [[int(x) / tck for x in w.split()] for w in threads.strip(",").split(",")]
per_worker = "; ".join(f"{u:.1f} / {j:.1f} / {o:.1f}" for u, j, o in cpu)
print(f"| {workers} | {n} units in {wall:.1f} s ({from_launch:.1f} s from launch) | {rate:.2f}{speedup} | {mean(list(train.values())):.2f} s "
      f"| {mean(in_job) * 1000:.0f} ms | {mean(gaps) * 1000:.0f} ms | {per_worker} "
      f"| {db_ticks / tck * 1000 / n:.0f} ms, {wal / n / 1024:.0f} KiB WAL, {xact / n:.0f} commits |")
PY
}
# What one of the script's polls costs the server (a psql connection a second while the workers run), subtracted.
p0=$(db_cpu); for _ in $(seq 1 50); do "${q[@]}" "SELECT COUNT(*) FROM pg_class" >/dev/null; done
poll_ticks_x100=$(( ($(db_cpu) - p0) * 100 / 50 ))
echo "Machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) cores; load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "Experiment: $units units of shampoo, stateful, $neurons LSTM units, $epochs epochs; one thread per worker process"
echo
echo "| workers | units, wall time (first unit's start to last unit's end) | repeats/s | training per unit | in the job besides training | queue gap between a worker's units | CPU s per worker: unit thread / JIT thread / rest | database per unit: server CPU, WAL, commits |"
echo "| --- | --- | --- | --- | --- | --- | --- | --- |"
run 1 101
run 2 102
echo
echo "Load average after: $(cut -d' ' -f1-3 /proc/loadavg); the database's CPU per unit leaves out the script's own polling ($((poll_ticks_x100 * 10000 / tck)) µs of server CPU a poll, one a second)"
