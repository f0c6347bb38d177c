#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for LstmLab's integration tests (and for trying the distributed commands):
#   eval "$(.ci/postgres.sh start)"    # prints export lines: LSTMLAB_TEST_PG (connection string) and LSTMLAB_PG_DIR
#   .ci/postgres.sh stop "$LSTMLAB_PG_DIR"
# initdb runs as the `postgres` user in a new temporary folder; the server listens on 127.0.0.1 only, on a
# free port, with its socket in that folder. Trust authentication, so only for throwaway local clusters.
set -euo pipefail

bin_dir() {
  for d in /usr/lib/postgresql/*/bin; do
    if [[ -x "$d/initdb" ]]; then echo "$d"; return 0; fi
  done
  return 1
}

run_as_postgres() {
  if [[ "$(id -un)" == postgres ]]; then "$@"; else runuser -u postgres -- "$@"; fi
}

start() {
  local bin
  if ! bin=$(bin_dir); then
    echo "postgres.sh: PostgreSQL is not installed; installing Debian's postgresql package" >&2
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql; } >&2
    bin=$(bin_dir)
  fi
  id postgres >/dev/null 2>&1 || { echo "postgres.sh: no 'postgres' user (install Debian's postgresql package)" >&2; exit 1; }
  local dir port
  dir=$(mktemp -d /tmp/lstmlab-pg.XXXXXX)
  chown postgres: "$dir"
  chmod 700 "$dir"
  run_as_postgres "$bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; exit 1; }
  for _ in $(seq 1 50); do
    port=$(( 20000 + RANDOM % 40000 ))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      if run_as_postgres "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
          -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c max_connections=200 -c fsync=off" start >/dev/null; then
        run_as_postgres "$bin/createdb" -h 127.0.0.1 -p "$port" -U postgres lstmlab
        echo "export LSTMLAB_PG_DIR='$dir'"
        echo "export LSTMLAB_TEST_PG='Host=127.0.0.1;Port=$port;Database=lstmlab;Username=postgres'"
        echo "postgres.sh: PostgreSQL on 127.0.0.1:$port (cluster in $dir)" >&2
        return 0
      fi
    fi
  done
  cat "$dir/server.log" >&2 || true
  echo "postgres.sh: could not start PostgreSQL on a free port" >&2
  exit 1
}

stop() {
  local dir=${1:-${LSTMLAB_PG_DIR:-}}
  [[ -n "$dir" && -d "$dir" ]] || { echo "postgres.sh: usage: postgres.sh stop DIR" >&2; exit 2; }
  local bin
  bin=$(bin_dir)
  run_as_postgres "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}

case "${1:-}" in
  start) start ;;
  stop) stop "${2:-}" ;;
  *) echo "usage: $0 start | stop DIR" >&2; exit 2 ;;
esac
