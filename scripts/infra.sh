#!/usr/bin/env bash
# Local infrastructure for Parley development and tests: a real PostgreSQL,
# Redis and single-node Apache Kafka (KRaft), all on 127.0.0.1 only.
#
#   bash scripts/infra.sh up|down|status|env|pg-bindir|reset
#
# See scripts/infra/README.md. Runtime state lives in .cache/infra/, downloads
# in ~/.cache/parley/downloads (INFRA_DOWNLOADS_DIR; see scripts/infra/README.md).
# This file parses the command, takes the lock and dispatches; the components
# live in scripts/infra/lib/{common,postgres,redis,kafka}.sh, sourced below.
# shellcheck source-path=SCRIPTDIR
set -euo pipefail

ROOT="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd -P)"
INFRA_DIR="$ROOT/scripts/infra"
# The state dir and the ports can be moved (INFRA_STATE_DIR, INFRA_*_PORT), e.g.
# to try this script beside the shared servers: see scripts/infra/README.md.
STATE="${INFRA_STATE_DIR:-$ROOT/.cache/infra}"
[[ $STATE == /* ]] || STATE="$PWD/$STATE" # pid checks match absolute paths
while [[ $STATE == ?*/ ]]; do STATE=${STATE%/}; done
KAFKA_VERSION=4.1.1 # keep in sync with scripts/infra/kafka/pom.xml
# Large downloads (the Kafka jars, Maven's repository) live in a machine-level cache shared by every
# clone and worktree (INFRA_DOWNLOADS_DIR, default ~/.cache/parley/downloads), so a fresh clone
# reuses them. A clone whose own .cache/downloads already holds the jars keeps using it.
DOWNLOADS="${INFRA_DOWNLOADS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/parley/downloads}"
if [[ -z ${INFRA_DOWNLOADS_DIR:-} && ! -s $DOWNLOADS/kafka-$KAFKA_VERSION/libs/.complete &&
  -s $ROOT/.cache/downloads/kafka-$KAFKA_VERSION/libs/.complete ]]; then
  DOWNLOADS="$ROOT/.cache/downloads"
fi

# Fixed addresses and credentials: other code depends on these exact values.
# (The INFRA_*_PORT overrides are for running a second, private instance.)
PG_PORT="${INFRA_PG_PORT:-55432}"
PG_USER=parley
PG_PASSWORD=parley
PG_DB=parley
# durable (default: `npm start`, what is acknowledged survives a crash) or fast (`npm test` only).
PG_DURABILITY="${INFRA_PG_DURABILITY:-durable}"
[[ $PG_DURABILITY == durable || $PG_DURABILITY == fast ]] ||
  { printf 'infra.sh: INFRA_PG_DURABILITY must be durable or fast, not %s\n' "$PG_DURABILITY" >&2; exit 2; }
REDIS_PORT="${INFRA_REDIS_PORT:-56379}"
KAFKA_PORT="${INFRA_KAFKA_PORT:-59092}"
KAFKA_CONTROLLER_PORT="${INFRA_KAFKA_CONTROLLER_PORT:-59093}"
LOCAL_DATABASE_URL="postgres://$PG_USER:$PG_PASSWORD@127.0.0.1:$PG_PORT/$PG_DB"
LOCAL_REDIS_URL="redis://127.0.0.1:$REDIS_PORT"
LOCAL_KAFKA_BROKERS="127.0.0.1:$KAFKA_PORT"

KAFKA_LIBS="$DOWNLOADS/kafka-$KAFKA_VERSION/libs"
KAFKA_POM="$INFRA_DIR/kafka/pom.xml"

# Every wait is bounded (seconds); override for slow machines.
PG_WAIT="${INFRA_PG_WAIT:-30}"
REDIS_WAIT="${INFRA_REDIS_WAIT:-15}"
KAFKA_WAIT="${INFRA_KAFKA_WAIT:-90}"
EXTERNAL_WAIT="${INFRA_EXTERNAL_WAIT:-15}"
LOCK_WAIT="${INFRA_LOCK_WAIT:-900}"       # another `up` may be downloading Kafka
INSTALL_TIMEOUT="${INFRA_INSTALL_TIMEOUT:-900}"
MVN_TIMEOUT="${INFRA_MVN_TIMEOUT:-900}"

# shellcheck source=infra/lib/common.sh
source "$INFRA_DIR/lib/common.sh"
# shellcheck source=infra/lib/postgres.sh
source "$INFRA_DIR/lib/postgres.sh"
# shellcheck source=infra/lib/redis.sh
source "$INFRA_DIR/lib/redis.sh"
# shellcheck source=infra/lib/kafka.sh
source "$INFRA_DIR/lib/kafka.sh"

port_ok "$PG_PORT" || die "INFRA_PG_PORT=$PG_PORT is not a TCP port number (1-65535)"
port_ok "$REDIS_PORT" || die "INFRA_REDIS_PORT=$REDIS_PORT is not a TCP port number (1-65535)"
port_ok "$KAFKA_PORT" || die "INFRA_KAFKA_PORT=$KAFKA_PORT is not a TCP port number (1-65535)"
port_ok "$KAFKA_CONTROLLER_PORT" ||
  die "INFRA_KAFKA_CONTROLLER_PORT=$KAFKA_CONTROLLER_PORT is not a TCP port number (1-65535)"

# --------------------------------------------------------------- commands ---
env_lines() {
  printf 'DATABASE_URL=%s\n' "${DATABASE_URL:-$LOCAL_DATABASE_URL}"
  printf 'REDIS_URL=%s\n' "${REDIS_URL:-$LOCAL_REDIS_URL}"
  printf 'KAFKA_BROKERS=%s\n' "${KAFKA_BROKERS:-$LOCAL_KAFKA_BROKERS}"
}

LOCKED=0
take_lock() {
  ((LOCKED)) && return 0
  LOCKED=1
  mkdir -p "$STATE"
  exec 9>"$STATE/.lock"
  if ! flock -n 9; then
    note "waiting for another infra.sh holding $(rel "$STATE")/.lock (up to ${LOCK_WAIT}s) ..."
    flock -w "$LOCK_WAIT" 9 || die "timed out after ${LOCK_WAIT}s waiting for $(rel "$STATE")/.lock; is another 'infra.sh up' stuck? (see: fuser $(rel "$STATE")/.lock)"
  fi
}

# Run a component function in a subshell with errexit on; return its status.
run_step() {
  local rc
  set +e
  (
    set -e
    "$@"
  )
  rc=$?
  set -e
  return "$rc"
}

cmd_up() {
  take_lock
  local failed=() c
  for c in pg redis kafka; do
    run_step "${c}_up" || failed+=("$c")
  done
  if ((${#failed[@]})); then
    note "not healthy: ${failed[*]/pg/postgres} (see messages above)"
    exit 1
  fi
  env_lines >"$STATE/env.tmp"
  mv -f "$STATE/env.tmp" "$STATE/env"
  env_lines
}

cmd_down() {
  take_lock
  local rc=0
  run_step kafka_down || rc=1
  run_step redis_down || rc=1
  run_step pg_down || rc=1
  return "$rc"
}

cmd_status() {
  local ok=1 pid
  # postgres
  if [[ -n ${DATABASE_URL:-} ]]; then
    if pg_probe "$DATABASE_URL"; then line postgres external "$(redact "$DATABASE_URL") (DATABASE_URL; reachable)"
    else line postgres external "$(redact "$DATABASE_URL") (DATABASE_URL; NOT reachable: $PG_LAST_ERROR)"; ok=0; fi
  elif pg_probe "$LOCAL_DATABASE_URL"; then
    if pid=$(pg_managed_pid); then line postgres running "pid $pid, 127.0.0.1:$PG_PORT"
    else line postgres running "127.0.0.1:$PG_PORT (not started by infra.sh)"; fi
  elif pid=$(pg_managed_pid); then
    line postgres unhealthy "pid $pid, 127.0.0.1:$PG_PORT: $PG_LAST_ERROR"; ok=0
  else
    line postgres stopped ""; ok=0
  fi
  # redis
  if [[ -n ${REDIS_URL:-} ]]; then
    if redis_probe "$REDIS_URL"; then line redis external "$(redact "$REDIS_URL") (REDIS_URL; reachable)"
    else line redis external "$(redact "$REDIS_URL") (REDIS_URL; NOT reachable)"; ok=0; fi
  elif redis_probe "$LOCAL_REDIS_URL"; then
    if pid=$(redis_managed_pid); then line redis running "pid $pid, 127.0.0.1:$REDIS_PORT"
    else line redis running "127.0.0.1:$REDIS_PORT (not started by infra.sh)"; fi
  elif pid=$(redis_managed_pid); then
    line redis unhealthy "pid $pid, 127.0.0.1:$REDIS_PORT: no PONG"; ok=0
  else
    line redis stopped ""; ok=0
  fi
  # kafka
  if [[ -n ${KAFKA_BROKERS:-} ]]; then
    if kafka_probe "$KAFKA_BROKERS" 5; then line kafka external "$KAFKA_BROKERS (KAFKA_BROKERS; reachable)"
    else line kafka external "$KAFKA_BROKERS (KAFKA_BROKERS; NOT reachable: $KAFKA_PROBE_ERR)"; ok=0; fi
  elif kafka_probe "$LOCAL_KAFKA_BROKERS" 5; then
    if pid=$(kafka_managed_pid); then line kafka running "pid $pid, 127.0.0.1:$KAFKA_PORT"
    else line kafka running "127.0.0.1:$KAFKA_PORT (not started by infra.sh)"; fi
  elif pid=$(kafka_managed_pid); then
    line kafka unhealthy "pid $pid, 127.0.0.1:$KAFKA_PORT: $KAFKA_PROBE_ERR"; ok=0
  else
    line kafka stopped ""; ok=0
  fi
  ((ok)) || exit 3
}

cmd_reset() {
  cmd_down || die "down failed; not deleting data"
  rm -rf "$STATE/pg" "$STATE/redis" "$STATE/kafka" "$STATE/pgsock"
  note "deleted $(rel "$STATE")/{pg,redis,kafka} (downloads in $(rel "$DOWNLOADS") kept)"
}

usage() {
  cat <<EOF
usage: bash scripts/infra.sh <command>

  up         start PostgreSQL, Redis and Kafka on 127.0.0.1 unless already running;
             writes .cache/infra/env and prints it
  down       stop what infra.sh started (data is kept)
  status     show each component; exit 0 if all healthy, else 3
  env        print DATABASE_URL, REDIS_URL, KAFKA_BROKERS
  pg-bindir  print the PostgreSQL server binaries directory (installs postgres if missing)
  reset      down, then delete the data in .cache/infra/{pg,redis,kafka}

Set DATABASE_URL / REDIS_URL / KAFKA_BROKERS to use existing servers instead.
See scripts/infra/README.md.
EOF
}

main() {
  case "${1:-}" in
    up) cmd_up ;;
    down) cmd_down ;;
    status) cmd_status ;;
    env) env_lines ;;
    pg-bindir)
      mkdir -p "$STATE" 2>/dev/null || true # only needed if postgres must be installed
      ensure_pg_bindir
      printf '%s\n' "$PG_BINDIR"
      ;;
    reset) take_lock; cmd_reset ;;
    -h | --help | help) usage ;;
    *) usage >&2; exit 2 ;;
  esac
}

main "$@"
