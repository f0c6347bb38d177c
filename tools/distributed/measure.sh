#!/usr/bin/env bash
# Measures the distributed runner (README, issue 17): repeats per second with 1 and 2 worker processes
# (one thread each) for a fixed experiment of 1-second units, and the overhead per unit (store and queue
# time against training time), from the store's own timestamps.
#   tools/distributed/measure.sh [UNITS] [EPOCHS]   (default 12 units: shampoo, stateful, 2000 epochs ≈ 1 s alone on a core)
# Starts its own throwaway PostgreSQL (.ci/postgres.sh) and stops it at the end.
set -euo pipefail
cd "$(dirname "$0")/../.."
units=${1:-12}
epochs=${2:-2000}
dotnet build -c Release src/LstmLab.Cli -nodeReuse:false -v q >/dev/null
cli=(dotnet src/LstmLab.Cli/bin/Release/net10.0/LstmLab.Cli.dll)
pg_env=$(.ci/postgres.sh start)
eval "$pg_env"
work=$(mktemp -d)
trap '.ci/postgres.sh stop "$LSTMLAB_PG_DIR"; rm -rf "$work"' EXIT
store=$LSTMLAB_TEST_PG

run() { # $1 = workers, $2 = seed (another seed, another experiment)
  local n=$1 seed=$2 name="measure-$1w"
  printf 'name: %s\ndata: shampoo\nrepeats: %s\nseed: %s\nbase:\n  epochs: %s\nconfigurations:\n  stateful: {}\n' "$name" "$units" "$seed" "$epochs" >"$work/$name.yaml"
  "${cli[@]}" experiment submit "$work/$name.yaml" --store "$store" >/dev/null
  local pids=()
  for _ in $(seq 1 "$n"); do "${cli[@]}" worker --store "$store" --threads 1 >>"$work/workers.log" 2>&1 & pids+=($!); done
  local port=${store#*Port=}; port=${port%%;*}
  local q=(psql -h 127.0.0.1 -p "$port" -U postgres -d lstmlab -tAc)
  local wal0 xact0 polls=0
  wal0=$("${q[@]}" "SELECT pg_current_wal_lsn()")
  xact0=$("${q[@]}" "SELECT xact_commit FROM pg_stat_database WHERE datname = 'lstmlab'")
  until [[ $("${q[@]}" "SELECT COUNT(*) FROM units u JOIN experiments e ON e.id = u.experiment_id WHERE e.name = '$name' AND u.state IN ('done', 'failed')") == "$units" ]]; do
    sleep 1; polls=$((polls + 1))
  done
  local wal xact
  wal=$("${q[@]}" "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '$wal0')")
  xact=$("${q[@]}" "SELECT xact_commit - $xact0 - $polls - 2 FROM pg_stat_database WHERE datname = 'lstmlab'")
  echo "database, workers running: $((wal / units / 1024)) KiB of WAL and $((xact / units)) committed transactions per unit (our polling subtracted; includes the workers' heartbeats)"
  kill -TERM "${pids[@]}"; wait "${pids[@]}" || true
  "${cli[@]}" experiment export "$name" --store "$store" --out "$work/$name" >/dev/null
  python3 - "$work/$name" "$n" <<'PY'
import csv, sys
from datetime import datetime
folder, workers = sys.argv[1], int(sys.argv[2])
t = lambda s: datetime.fromisoformat(s)
units = list(csv.DictReader(open(f"{folder}/units.csv")))
train = {(m["configuration"], m["repeat"]): float(m["value"]) for m in csv.DictReader(open(f"{folder}/metrics.csv")) if m["name"] == "seconds"}
start = min(t(u["started"]) for u in units); end = max(t(u["finished"]) for u in units)
wall = (end - start).total_seconds()
in_job = [(t(u["finished"]) - t(u["started"])).total_seconds() - train[(u["configuration"], u["repeat"])] for u in units]
gaps = []
by_worker = {}
for u in units: by_worker.setdefault(u["worker"], []).append(u)
for us in by_worker.values():
    us.sort(key=lambda u: u["started"])
    gaps += [(t(b["started"]) - t(a["finished"])).total_seconds() for a, b in zip(us, us[1:])]
mean = lambda xs: sum(xs) / len(xs) if xs else float("nan")
print(f"{workers} worker(s): {len(units)} units in {wall:.2f} s = {len(units)/wall:.3f} repeats/s; "
      f"training {mean(list(train.values())):.3f} s/unit; in the job besides training {mean(in_job)*1000:.1f} ms/unit; "
      f"queue gap between a worker's units {mean(gaps)*1000:.1f} ms")
PY
}
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
run 1 101
run 2 102
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
