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
# process spends some seconds of CPU once, in its first minute, on the runtime's tiered-compilation thread
# (re-compiling hot methods with profile-guided optimisation), which a run of a few seconds would mostly measure.
# That one-off cost (about 5 s of CPU per worker process) is still a tenth of the default run with two workers, so
# the README's two-worker speed-up is measured on 480 units (measure.sh 480 4500, 18 minutes), where it is a fiftieth.
# Environment (all optional):
#   CLI=PATH         the LstmLab.Cli.dll to run (default: build src/LstmLab.Cli in Release and run that), e.g. a
#                    ReadyToRun publish (dotnet publish src/LstmLab.Cli -c Release -r linux-x64 --self-contained false
#                    -p:PublishReadyToRun=true -o DIR; CLI=DIR/LstmLab.Cli.dll)
#   WORKER_ENV="V=X ..."  environment for the worker processes only (default: DOTNET_TC_CallCountThreshold=200, as the
#                    README starts workers: a method is re-compiled optimised after 200 calls instead of 30, so the
#                    database, queue and set-up code a worker calls a few times per unit stays at tier 0 and the
#                    runtime's compilation thread does less than half the work; WORKER_ENV= for the runtime's defaults)
#   ROUNDS=N         run the pair 1 worker, 2 workers N times interleaved (1, 2, 1, 2, ...; default 1); each
#                    two-worker row's speed-up is against the one-worker row just before it
#   WORKERS="1 2"    the worker counts of a round (e.g. WORKERS=1 to compare builds or settings by CPU time only)
#   KEEP=DIR         keep the experiments' exports, the workers' logs and thread timelines there
#   THREADS=N        unit threads per worker process (--threads; default 1)
#   PIN=1            pin worker i to core (i - 1) mod cores (taskset), so no worker's threads move between cores
# Waiting for the workers costs the database nothing: tools/distributed/watch.py counts the finished-unit lines in
# each worker's log (four times a second) and reads the workers' thread times as units finish.
# Prints a Markdown table for the README, then a table of each worker's first 10 units against the rest (the
# unit thread's CPU per unit while the runtime is still re-compiling, and after). Starts its own throwaway
# PostgreSQL (.ci/postgres.sh) and stops it at the end. Run it on a quiet machine: it measures wall time.
set -euo pipefail
cd "$(dirname "$0")/../.."
units=${1:-96}
epochs=${2:-4500}
neurons=${3:-32}
loss_every=${4:-1}
rounds=${ROUNDS:-1}
read -ra counts <<<"${WORKERS:-1 2}"
worker_env_text=${WORKER_ENV-DOTNET_TC_CallCountThreshold=200}
read -ra worker_env <<<"$worker_env_text"
if [[ -n "${CLI:-}" ]]; then
  [[ -f "$CLI" ]] || { echo "measure.sh: CLI=$CLI: no such file" >&2; exit 2; }
  cli=(dotnet "$CLI")
else
  dotnet build -c Release src/LstmLab.Cli -nodeReuse:false -v q >/dev/null
  cli=(dotnet src/LstmLab.Cli/bin/Release/net10.0/LstmLab.Cli.dll)
fi
pg_env=$(.ci/postgres.sh start 2>/dev/null)
eval "$pg_env"
work=$(mktemp -d)
trap '[[ -z "${KEEP:-}" ]] || { mkdir -p "$KEEP" && cp -r "$work"/. "$KEEP"/; }; .ci/postgres.sh stop "$LSTMLAB_PG_DIR"; rm -rf "$work"' EXIT
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

run() { # $1 = workers, $2 = seed (another seed, another experiment)
  local n=$1 seed=$2 name="measure-$1w-$2"
  printf 'name: %s\ndata: shampoo\nrepeats: %s\nseed: %s\nbase:\n  epochs: %s\n  neurons: %s\n  loss_every: %s\nconfigurations:\n  stateful: {}\n' \
    "$name" "$units" "$seed" "$epochs" "$neurons" "$loss_every" >"$work/$name.yaml"
  "${cli[@]}" experiment submit "$work/$name.yaml" --store "$store" >/dev/null
  local wal0 xact0 cpu0 launched pids=() watched=()
  wal0=$("${q[@]}" "SELECT pg_current_wal_lsn()")
  xact0=$("${q[@]}" "SELECT xact_commit FROM pg_stat_database WHERE datname = 'lstmlab'")
  cpu0=$(db_cpu)
  launched=$(date -u +%Y-%m-%dT%H:%M:%S.%6N+00:00)
  for i in $(seq 1 "$n"); do
    pin=()
    [[ -n "${PIN:-}" ]] && pin=(taskset -c $(( (i - 1) % $(nproc) )))
    "${pin[@]}" env "${worker_env[@]}" "${cli[@]}" worker --store "$store" --threads "${THREADS:-1}" >"$work/$name.w$i.log" 2>&1 & pids+=($!)
    watched+=("$!:$work/$name.w$i.log")
  done
  if ! python3 tools/distributed/watch.py "$units" "$work/$name.threads.json" "${watched[@]}"; then
    kill -TERM "${pids[@]}" 2>/dev/null || true; cat "$work/$name".w*.log >&2; exit 1
  fi
  local wal xact cpu
  cpu=$(( $(db_cpu) - cpu0 ))
  wal=$("${q[@]}" "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '$wal0')")
  # Commits since xact0 besides the workers': the xact0 query itself and the WAL query.
  xact=$("${q[@]}" "SELECT xact_commit - $xact0 - 2 FROM pg_stat_database WHERE datname = 'lstmlab'")
  local left
  left=$("${q[@]}" "SELECT COUNT(*) FROM units u JOIN experiments e ON e.id = u.experiment_id WHERE e.name = '$name' AND u.state NOT IN ('done', 'failed')")
  kill -TERM "${pids[@]}"; wait "${pids[@]}" || true
  [[ "$left" == 0 ]] || { echo "measure.sh: the workers logged $units finished units, but the store has $left not done" >&2; exit 1; }
  "${cli[@]}" experiment export "$name" --store "$store" --out "$work/$name" >/dev/null
  python3 - "$work/$name" "$n" "$launched" "$work/$name.threads.json" "$tck" "$cpu" "$wal" "$xact" "$work/rate1" "$work/detail" <<'PY'
import csv, json, sys
from datetime import datetime
folder, workers, launched, threads, tck, db_ticks, wal, xact, rate_file, detail_file = sys.argv[1:]
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
for u in units: by_worker.setdefault(u["worker"].rsplit(":", 1)[-1], []).append(u)
for us in by_worker.values():
    us.sort(key=lambda u: u["started"])
    gaps += [(t(b["started"]) - t(a["finished"])).total_seconds() for a, b in zip(us, us[1:])]
mean = lambda xs: sum(xs) / len(xs) if xs else float("nan")
rate = n / wall
if workers == 1:
    open(rate_file, "w").write(str(rate)); speedup = ""
else:
    try:
        speedup = f" ({rate / float(open(rate_file).read()):.2f}×)"
    except FileNotFoundError:
        speedup = ""
watched = json.load(open(threads))
per_worker = "; ".join(f"{w['final'][0] / tck:.1f} / {w['final'][1] / tck:.1f} / {w['final'][2] / tck:.1f}" for w in watched)
print(f"| {workers} | {n} units in {wall:.1f} s ({from_launch:.1f} s from launch) | {rate:.2f}{speedup} | {mean(list(train.values())):.2f} s "
      f"| {mean(in_job) * 1000:.0f} ms | {mean(gaps) * 1000:.0f} ms | {per_worker} "
      f"| {db_ticks / tck * 1000 / n:.0f} ms, {wal / n / 1024:.0f} KiB WAL, {xact / n:.0f} commits |", flush=True)
# Each worker's first 10 units against the rest: the unit thread's CPU per unit (read as each unit's log line
# appeared, so a reading may include up to a quarter second of the next unit; over 10 units that is 25 ms a unit),
# the store's training seconds per unit, and the tiered-compilation thread's CPU by then and in all.
first = 10
with open(detail_file, "a") as out:
    for k, w in enumerate(watched, 1):
        line = w["timeline"]
        at = next((p for p in line if p[0] >= first), None)
        us = by_worker.get(w["pid"], [])
        secs = [train[(u["configuration"], u["repeat"])] for u in us]
        if at is None or len(secs) <= first:
            out.write(f"| {workers} | {k} ({len(secs)} units) | too few units | | |\n"); continue
        last = line[-1]
        cpu_first = at[1] / tck / at[0]
        cpu_rest = (w["final"][0] - at[1]) / tck / (w["done"] - at[0])
        out.write(f"| {workers} | {k} ({len(secs)} units) | {cpu_first:.3f} / {cpu_rest:.3f} s ({cpu_first / cpu_rest - 1:+.0%}) "
                  f"| {mean(secs[:first]):.3f} / {mean(secs[first:]):.3f} s | {at[2] / tck:.1f} / {w['final'][1] / tck:.1f} s |\n")
PY
}
echo "Machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) cores; load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "Experiment: $units units of shampoo, stateful, $neurons LSTM units, $epochs epochs; ${THREADS:-1} unit thread(s) per worker process"
echo "Workers: ${worker_env_text:+$worker_env_text }${cli[*]} worker --threads ${THREADS:-1}"
echo
echo "| workers | units, wall time (first unit's start to last unit's end) | repeats/s | training per unit | in the job besides training | queue gap between a worker's units | CPU s per worker: unit thread / JIT thread / rest | database per unit: server CPU, WAL, commits |"
echo "| --- | --- | --- | --- | --- | --- | --- | --- |"
seed=100
for _ in $(seq 1 "$rounds"); do
  for n in "${counts[@]}"; do seed=$((seed + 1)); run "$n" "$seed"; done
done
echo
echo "Each worker's first 10 units against the rest (unit-thread CPU per unit as units finished; the store's training seconds):"
echo
echo "| workers | worker (units) | unit-thread CPU per unit: first 10 / rest | training per unit: first 10 / rest | JIT-thread CPU: by its 10th unit / in all |"
echo "| --- | --- | --- | --- | --- |"
cat "$work/detail"
echo
echo "Load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
