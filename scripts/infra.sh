#!/usr/bin/env bash
# Local infrastructure for Parley development and tests: a real PostgreSQL,
# Redis and single-node Apache Kafka (KRaft), all on 127.0.0.1 only.
#
#   bash scripts/infra.sh up|down|status|env|pg-bindir|reset
#
# See scripts/infra/README.md. Runtime state lives in .cache/infra/, downloads
# in .cache/downloads/ (both relative to the repo root, never to $PWD).
# shellcheck disable=SC2016 # single-quoted `bash -c` snippets expand their own "$1"...
set -euo pipefail

ROOT="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd -P)"
INFRA_DIR="$ROOT/scripts/infra"
STATE="$ROOT/.cache/infra"
DOWNLOADS="$ROOT/.cache/downloads"

# Fixed addresses and credentials: other code depends on these exact values.
PG_PORT=55432
PG_USER=parley
PG_PASSWORD=parley
PG_DB=parley
REDIS_PORT=56379
KAFKA_PORT=59092
KAFKA_CONTROLLER_PORT=59093
LOCAL_DATABASE_URL="postgres://$PG_USER:$PG_PASSWORD@127.0.0.1:$PG_PORT/$PG_DB"
LOCAL_REDIS_URL="redis://127.0.0.1:$REDIS_PORT"
LOCAL_KAFKA_BROKERS="127.0.0.1:$KAFKA_PORT"

KAFKA_VERSION=4.1.1 # keep in sync with scripts/infra/kafka/pom.xml
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

# ---------------------------------------------------------------- helpers ---
# bash's `command -v` also returns a matching non-executable file; require -x.
have() { local p; p=$(command -v -- "$1" 2>/dev/null) && [[ -x $p ]]; }
note() { printf 'infra: %s\n' "$*" >&2; }
die() { printf 'infra: error: %s\n' "$*" >&2; exit 1; }
line() { if [[ -n ${3:-} ]]; then printf '%-8s %-9s %s\n' "$1" "$2" "$3"; else printf '%-8s %s\n' "$1" "$2"; fi; }
is_root() { [[ $(id -u) -eq 0 ]]; }
rel() { printf '%s' "${1#"$ROOT"/}"; } # path relative to the repo root, for messages

now_us() { local t=${EPOCHREALTIME/./}; printf '%s' "${t#0}"; }
since() { # start_us -> "1.2s"
  local d=$(( $(now_us) - $1 ))
  printf '%d.%01ds' $((d / 1000000)) $(((d % 1000000) / 100000))
}

# Alive = exists and is not a zombie (an unreaped zombie still "exists" for kill -0).
pid_alive() {
  local st
  [[ ${1:-} =~ ^[0-9]+$ ]] || return 1
  st=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
  st=${st##*) }
  [[ -n $st && ${st:0:1} != Z ]]
}
# pid_matches PID GLOB: PID is alive and its command line matches GLOB.
pid_matches() {
  local cmd
  pid_alive "${1:-}" || return 1
  cmd=$(tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null) || return 1
  # shellcheck disable=SC2053
  [[ $cmd == $2 ]]
}
read_pid() { [[ -s $1 ]] && head -n1 "$1" 2>/dev/null | tr -dc '0-9' || true; }

tcp_open() { timeout 2 bash -c 'exec 3<>"/dev/tcp/$1/$2"' _ "$1" "$2" 2>/dev/null; }

tail_log() { # file [lines]
  local f=$1 n=${2:-30}
  if [[ -s $f ]]; then
    printf -- '----- last %s lines of %s -----\n' "$n" "$(rel "$f")" >&2
    tail -n "$n" "$f" >&2
    printf -- '-----\n' >&2
  fi
}

port_owner_hint() { # port -> extra hint text (who listens), best effort
  have ss || return 0
  ss -Hltnp "sport = :$1" 2>/dev/null | head -n1 |
    sed -nE 's/.*users:\(\("([^"]+)",pid=([0-9]+).*/(\1, pid \2)/p'
}

# ---------------------------------------------------------- installation ---
can_apt() { is_root && have apt-get; }

# apt_install PKG...: install Debian packages (root + apt-get only), serialised
# by a lock so a parallel `pg-bindir` and `up` do not fight over dpkg.
apt_install() {
  local log="$STATE/install.log" rc=0
  mkdir -p "$STATE"
  note "installing $* with apt-get (log: $(rel "$log")) ..."
  (
    exec 9>&- # packages may start services (postinst): they must not inherit our locks
    flock -w "$INSTALL_TIMEOUT" 8 || { echo "timed out waiting for $(rel "$STATE")/.install.lock" >&2; exit 1; }
    export DEBIAN_FRONTEND=noninteractive
    apt() { timeout "$INSTALL_TIMEOUT" apt-get -q -o DPkg::Lock::Timeout=300 "$@" >>"$log" 2>&1 8>&-; }
    updated=0
    # apt-get update only if a package is unknown / has no install candidate.
    for p in "$@"; do
      if ! apt-cache policy "$p" 2>/dev/null | grep -q 'Candidate: [^(]'; then
        apt update || exit 1
        updated=1
        break
      fi
    done
    if ! apt install -y "$@"; then
      # Stale package lists give 404s: refresh once and retry.
      [[ $updated -eq 0 ]] || exit 1
      apt update || exit 1
      apt install -y "$@" || exit 1
    fi
  ) 8>"$STATE/.install.lock" || rc=$?
  if [[ $rc -ne 0 ]]; then
    tail_log "$log" 20
    return 1
  fi
}

# ------------------------------------------------------------ PostgreSQL ---
PG_BINDIR=""

# Highest /usr/lib/postgresql/*/bin with server binaries, else pg_config --bindir,
# else the directory of pg_ctl on PATH. INFRA_PG_BINDIR from the environment wins.
# With an argument (a major version), prefer that version.
find_pg_bindir() {
  local d want=${1:-}
  if [[ -n ${INFRA_PG_BINDIR:-} ]]; then
    [[ -x $INFRA_PG_BINDIR/pg_ctl && -x $INFRA_PG_BINDIR/initdb && -x $INFRA_PG_BINDIR/postgres ]] ||
      die "INFRA_PG_BINDIR=$INFRA_PG_BINDIR does not contain initdb, pg_ctl and postgres: fix it or unset it"
    PG_BINDIR=$INFRA_PG_BINDIR
    return 0
  fi
  if [[ -n $want && -x /usr/lib/postgresql/$want/bin/pg_ctl ]]; then
    PG_BINDIR=/usr/lib/postgresql/$want/bin
    return 0
  fi
  while IFS= read -r d; do
    if [[ -x $d/initdb && -x $d/pg_ctl && -x $d/postgres ]]; then
      PG_BINDIR=$d
      return 0
    fi
  done < <(compgen -G '/usr/lib/postgresql/*/bin' | sort -t/ -k5,5Vr || true)
  if have pg_config; then
    d=$(pg_config --bindir 2>/dev/null || true)
    if [[ -n $d && -x $d/initdb && -x $d/pg_ctl && -x $d/postgres ]]; then
      PG_BINDIR=$d
      return 0
    fi
  fi
  if have pg_ctl; then
    d=$(dirname -- "$(readlink -f -- "$(command -v pg_ctl)")")
    if [[ -x $d/initdb && -x $d/postgres ]]; then
      PG_BINDIR=$d
      return 0
    fi
  fi
  return 1
}

ensure_pg_bindir() {
  find_pg_bindir && return 0
  if can_apt; then
    apt_install postgresql || die "installing PostgreSQL with apt-get failed (see $(rel "$STATE")/install.log): install Debian's postgresql package or set DATABASE_URL"
    find_pg_bindir && return 0
  fi
  die "PostgreSQL server not found: install Debian's postgresql package or set DATABASE_URL"
}

pg_client() { # name -> path of a client binary (psql, pg_isready), or nothing
  if [[ -n $PG_BINDIR && -x $PG_BINDIR/$1 ]]; then
    printf '%s' "$PG_BINDIR/$1"
  elif find_pg_bindir && [[ -x $PG_BINDIR/$1 ]]; then
    printf '%s' "$PG_BINDIR/$1"
  elif have "$1"; then
    command -v "$1"
  fi
}

PG_LAST_ERROR=""
# pg_probe URL: server accepts connections and `select 1` works with these credentials.
pg_probe() {
  local url=$1 isready psql out
  [[ -n $PG_BINDIR ]] || find_pg_bindir || true
  isready=$(pg_client pg_isready)
  psql=$(pg_client psql)
  if [[ -n $isready ]] && ! out=$(timeout 5 "$isready" -d "$url" -t 2 2>&1); then
    PG_LAST_ERROR="pg_isready: ${out:-no answer}"
    return 1
  fi
  if [[ -n $psql ]]; then
    if out=$(PGCONNECT_TIMEOUT=3 timeout 6 "$psql" "$url" -XAtq -v ON_ERROR_STOP=1 -c 'select 1' 2>&1); then
      return 0
    fi
  elif have node && [[ -d $ROOT/node_modules/pg ]]; then
    if out=$(cd "$ROOT" && timeout 6 node -e '
      const { Client } = require("pg");
      const c = new Client({ connectionString: process.argv[1], connectionTimeoutMillis: 3000 });
      c.connect().then(() => c.query("select 1")).then(() => process.exit(0),
        (e) => { console.error(e.message); process.exit(1); });' "$url" 2>&1); then
      return 0
    fi
  else
    PG_LAST_ERROR="neither psql nor node+pg available to check the connection (install postgresql-client)"
    return 1
  fi
  PG_LAST_ERROR=$(printf '%s' "$out" | tail -n1)
  return 1
}

pg_wait() { # url seconds
  local deadline=$((SECONDS + $2))
  while :; do
    pg_probe "$1" && return 0
    ((SECONDS < deadline)) || return 1
    sleep 0.3
  done
}

PGDATA_DIR="$STATE/pg"
PG_RUN_AS=""   # system user running the server ("" = current user)

# Postgres refuses to run as root: use the `postgres` system user then.
as_pg() {
  if [[ -n $PG_RUN_AS ]]; then
    (cd "$STATE" && runuser -u "$PG_RUN_AS" -- "$@")
  else
    "$@"
  fi
}

pg_setup_user() {
  is_root || return 0
  PG_RUN_AS=postgres
  have runuser || die "running as root but 'runuser' is missing (util-linux): PostgreSQL cannot run as root; run as a normal user or set DATABASE_URL"
  if ! id -u postgres >/dev/null 2>&1; then
    note "creating system user 'postgres' (PostgreSQL refuses to run as root)"
    useradd --system --user-group --home-dir /var/lib/postgresql --no-create-home \
      --shell /usr/sbin/nologin postgres || die "could not create the 'postgres' system user"
  fi
  # Every parent of the state dir must be traversable by that user.
  local d=$STATE
  while [[ -n $d && $d != / ]]; do
    if ! runuser -u postgres -- test -x "$d" 2>/dev/null; then
      note "chmod o+x $d (so the postgres user can reach $(rel "$PGDATA_DIR"))"
      chmod o+x "$d" || die "cannot make $d traversable for the postgres user"
    fi
    d=$(dirname -- "$d")
  done
}

pg_managed_pid() { # prints the pid of the postmaster running on our data dir
  local pid f
  for f in "$STATE/pg.pid" "$PGDATA_DIR/postmaster.pid"; do
    pid=$(read_pid "$f")
    if pid_matches "$pid" "*postgres*$PGDATA_DIR*"; then
      printf '%s' "$pid"
      return 0
    fi
  done
  return 1
}

pg_write_conf() {
  local sockdir="$STATE/pgsock"
  mkdir -p "$sockdir"
  [[ -z $PG_RUN_AS ]] || chown "$PG_RUN_AS:" "$sockdir"
  # Unix socket paths are limited to 107 bytes; fall back to TCP only.
  local sockconf="'$sockdir'"
  ((${#sockdir} + 16 < 100)) || sockconf="''"
  cat >"$PGDATA_DIR/parley.conf" <<EOF
# Managed by scripts/infra.sh and rewritten on every start: edit the script, not this file.
listen_addresses = '127.0.0.1'
port = $PG_PORT
unix_socket_directories = $sockconf
max_connections = 300
password_encryption = 'scram-sha-256'
# Dev/test instance ONLY: durability is traded for speed. With these settings a
# crash of the machine or of postgres (not a clean stop) can lose or corrupt
# data. Never copy them to a server holding data you care about.
fsync = off
synchronous_commit = off
full_page_writes = off
EOF
  [[ -z $PG_RUN_AS ]] || chown "$PG_RUN_AS:" "$PGDATA_DIR/parley.conf"
  grep -q "^include_if_exists = 'parley.conf'" "$PGDATA_DIR/postgresql.conf" ||
    printf "\n# Parley dev/test settings (scripts/infra.sh)\ninclude_if_exists = 'parley.conf'\n" >>"$PGDATA_DIR/postgresql.conf"
}

pg_initdb() {
  local pwfile="$STATE/.pg-pwfile" log="$STATE/pg-initdb.log" rc=0
  note "initialising PostgreSQL data dir $(rel "$PGDATA_DIR") (first run only)"
  mkdir -p "$PGDATA_DIR"
  chmod 700 "$PGDATA_DIR"
  printf '%s\n' "$PG_PASSWORD" >"$pwfile"
  chmod 600 "$pwfile"
  if [[ -n $PG_RUN_AS ]]; then chown -R "$PG_RUN_AS:" "$PGDATA_DIR" "$pwfile"; fi
  # The bootstrap superuser is `parley` (password auth everywhere, also on the socket).
  as_pg "$PG_BINDIR/initdb" -D "$PGDATA_DIR" -U "$PG_USER" --pwfile="$pwfile" \
    --auth=scram-sha-256 --encoding=UTF8 --no-locale >"$log" 2>&1 || rc=$?
  rm -f "$pwfile"
  if [[ $rc -ne 0 ]]; then
    tail_log "$log" 20
    die "initdb failed (full log: $(rel "$log")); try: bash scripts/infra.sh reset"
  fi
}

# pg_ctl start; after a crash (kill -9) the old postmaster or its children can
# linger for a moment and block the lock files / shared memory: retry briefly.
pg_start_server() {
  local out deadline=$((SECONDS + PG_WAIT)) mark
  while :; do
    mark=$(wc -l <"$STATE/pg.log" 2>/dev/null || echo 0)
    # 8>&- 9>&-: the daemon must not inherit (and so hold) our lock files.
    if out=$(as_pg "$PG_BINDIR/pg_ctl" -D "$PGDATA_DIR" -l "$STATE/pg.log" -w -t "$PG_WAIT" start 2>&1 8>&- 9>&-); then
      return 0
    fi
    if ((SECONDS < deadline)) &&
      tail -n +"$((mark + 1))" "$STATE/pg.log" 2>/dev/null | grep -qE 'lock file .* already exists|pre-existing shared memory block .* still in use'; then
      note "PostgreSQL: a previous (crashed) server is still exiting; retrying"
      sleep 1
      continue
    fi
    printf '%s\n' "$out" | grep -v '^waiting for server' >&2 || true
    tail_log "$STATE/pg.log" 30
    die "PostgreSQL did not start within ${PG_WAIT}s (log: $(rel "$STATE")/pg.log)"
  done
}

pg_up() {
  local t0 pid url=$LOCAL_DATABASE_URL
  if [[ -n ${DATABASE_URL:-} ]]; then
    t0=$(now_us)
    pg_wait "$DATABASE_URL" "$EXTERNAL_WAIT" ||
      die "DATABASE_URL is set but that server is not reachable after ${EXTERNAL_WAIT}s ($PG_LAST_ERROR): start it, or unset DATABASE_URL to use the local one"
    line postgres external "$(redact "$DATABASE_URL") (DATABASE_URL; reachable)"
    return 0
  fi
  t0=$(now_us)
  if pg_probe "$url"; then
    if pid=$(pg_managed_pid); then
      line postgres running "pid $pid, 127.0.0.1:$PG_PORT (already running)"
    else
      line postgres running "127.0.0.1:$PG_PORT (already running; not started by infra.sh)"
    fi
    return 0
  fi

  ensure_pg_bindir
  pg_setup_user
  mkdir -p "$STATE"

  if pid=$(pg_managed_pid); then
    note "postgres (pid $pid) is running but not answering yet ($PG_LAST_ERROR); waiting up to ${PG_WAIT}s"
  else
    [[ ! -f $STATE/pg.pid ]] || { note "removing stale $(rel "$STATE")/pg.pid"; rm -f "$STATE/pg.pid"; }
    if tcp_open 127.0.0.1 "$PG_PORT"; then
      die "port $PG_PORT is in use by another process $(port_owner_hint "$PG_PORT") that does not accept $PG_USER/$PG_PASSWORD ($PG_LAST_ERROR): stop it, or set DATABASE_URL to use it"
    fi
    if [[ ! -s $PGDATA_DIR/PG_VERSION ]]; then
      if [[ -d $PGDATA_DIR && -n $(ls -A "$PGDATA_DIR" 2>/dev/null) ]]; then
        die "$(rel "$PGDATA_DIR") exists but is not a PostgreSQL data dir (interrupted initdb?): run bash scripts/infra.sh reset"
      fi
      pg_initdb
    fi
    # The data dir must be opened by the major version that created it.
    local ver bver
    ver=$(<"$PGDATA_DIR/PG_VERSION")
    bver=$("$PG_BINDIR/postgres" --version 2>/dev/null | awk '{print $NF}' | cut -d. -f1)
    if [[ $ver != "$bver" ]]; then
      find_pg_bindir "$ver" || true
      bver=$("$PG_BINDIR/postgres" --version 2>/dev/null | awk '{print $NF}' | cut -d. -f1)
      [[ $ver == "$bver" ]] ||
        die "$(rel "$PGDATA_DIR") was created by PostgreSQL $ver but only PostgreSQL $bver is installed ($PG_BINDIR): install postgresql-$ver, or run bash scripts/infra.sh reset (deletes the local data)"
    fi
    # A postmaster.pid left by a killed server whose pid now belongs to an unrelated
    # process (postgres itself handles dead pids, and must: it also checks shared memory).
    local stale
    stale=$(read_pid "$PGDATA_DIR/postmaster.pid")
    if [[ -n $stale ]] && pid_alive "$stale" && ! pid_matches "$stale" "*postgres*"; then
      rm -f "$PGDATA_DIR/postmaster.pid"
    fi
    pg_write_conf
    touch "$STATE/pg.log"
    [[ -z $PG_RUN_AS ]] || chown "$PG_RUN_AS:" "$STATE/pg.log"
    pg_start_server
  fi

  # Healthy = accepts connections and `select 1` works over TCP with the password.
  local admin_url="postgres://$PG_USER:$PG_PASSWORD@127.0.0.1:$PG_PORT/postgres"
  if ! pg_wait "$admin_url" "$PG_WAIT"; then
    tail_log "$STATE/pg.log" 30
    die "PostgreSQL on 127.0.0.1:$PG_PORT is not healthy after ${PG_WAIT}s: $PG_LAST_ERROR (log: $(rel "$STATE")/pg.log)"
  fi
  local psql
  psql=$(pg_client psql)
  if [[ $(PGCONNECT_TIMEOUT=3 timeout 10 "$psql" "$admin_url" -XAtq -c "select 1 from pg_database where datname = '$PG_DB'") != 1 ]]; then
    PGCONNECT_TIMEOUT=3 timeout 30 "$psql" "$admin_url" -Xq -v ON_ERROR_STOP=1 -c "create database \"$PG_DB\" owner \"$PG_USER\"" >/dev/null ||
      die "could not create database $PG_DB"
  fi
  pg_probe "$url" || die "PostgreSQL is up but $url fails: $PG_LAST_ERROR"
  pid=$(read_pid "$PGDATA_DIR/postmaster.pid")
  printf '%s\n' "$pid" >"$STATE/pg.pid"
  line postgres running "pid $pid, 127.0.0.1:$PG_PORT (started in $(since "$t0"))"
}

pg_down() {
  local pid
  if ! pid=$(pg_managed_pid); then
    rm -f "$STATE/pg.pid"
    if tcp_open 127.0.0.1 "$PG_PORT"; then
      line postgres skipped "127.0.0.1:$PG_PORT was not started by infra.sh; left alone"
    else
      line postgres stopped ""
    fi
    return 0
  fi
  find_pg_bindir "$(cat "$PGDATA_DIR/PG_VERSION" 2>/dev/null || true)" || true
  is_root && PG_RUN_AS=postgres
  if [[ -z $PG_BINDIR ]] || ! as_pg "$PG_BINDIR/pg_ctl" -D "$PGDATA_DIR" -m fast -w -t 30 stop >/dev/null 2>&1; then
    note "pg_ctl stop failed; sending SIGQUIT (immediate shutdown) to pid $pid"
    kill -QUIT "$pid" 2>/dev/null || true
    wait_gone "$pid" 10 || kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$STATE/pg.pid"
  line postgres stopped "(was pid $pid)"
}

redact() { printf '%s' "$1" | sed -E 's#(://[^:/@]*:)[^@]*@#\1***@#'; }

wait_gone() { # pid seconds
  local deadline=$((SECONDS + $2))
  while pid_alive "$1"; do
    ((SECONDS < deadline)) || return 1
    sleep 0.2
  done
}

# ----------------------------------------------------------------- Redis ---
redis_probe() { # url
  local out
  if have redis-cli; then
    out=$(timeout 3 redis-cli -u "$1" ping 2>/dev/null) || return 1
    [[ $out == PONG ]]
    return
  fi
  # No redis-cli: plain RESP PING over /dev/tcp (redis://host:port without auth).
  local hp=${1#*://}
  hp=${hp%%/*}
  hp=${hp##*@}
  timeout 3 bash -c 'exec 3<>"/dev/tcp/$1/$2" && printf "PING\r\n" >&3 && IFS= read -r -t 2 l <&3 && [[ $l == +PONG* ]]' _ "${hp%:*}" "${hp##*:}" 2>/dev/null
}

redis_wait() { # url seconds [pid]
  local deadline=$((SECONDS + $2))
  while :; do
    redis_probe "$1" && return 0
    ((SECONDS < deadline)) || return 1
    sleep 0.2
  done
}

redis_managed_pid() {
  local pid
  pid=$(read_pid "$STATE/redis.pid")
  pid_matches "$pid" "*redis-server*:$REDIS_PORT*" && printf '%s' "$pid"
}

redis_up() {
  local t0 pid url=$LOCAL_REDIS_URL
  t0=$(now_us)
  if [[ -n ${REDIS_URL:-} ]]; then
    redis_wait "$REDIS_URL" "$EXTERNAL_WAIT" ||
      die "REDIS_URL is set but $(redact "$REDIS_URL") does not answer PING after ${EXTERNAL_WAIT}s: start it, or unset REDIS_URL to use the local one"
    line redis external "$(redact "$REDIS_URL") (REDIS_URL; reachable)"
    return 0
  fi
  if redis_probe "$url"; then
    if pid=$(redis_managed_pid); then
      line redis running "pid $pid, 127.0.0.1:$REDIS_PORT (already running)"
    else
      line redis running "127.0.0.1:$REDIS_PORT (already running; not started by infra.sh)"
    fi
    return 0
  fi
  if pid=$(redis_managed_pid); then
    note "redis (pid $pid) is running but does not answer PING yet; waiting up to ${REDIS_WAIT}s"
    redis_wait "$url" "$REDIS_WAIT" ||
      die "redis (pid $pid) is running but does not answer PING: bash scripts/infra.sh down && bash scripts/infra.sh up (log: $(rel "$STATE")/redis.log)"
    line redis running "pid $pid, 127.0.0.1:$REDIS_PORT (was starting)"
    return 0
  fi
  [[ ! -f $STATE/redis.pid ]] || { note "removing stale $(rel "$STATE")/redis.pid"; rm -f "$STATE/redis.pid"; }
  if tcp_open 127.0.0.1 "$REDIS_PORT"; then
    die "port $REDIS_PORT is in use by another process $(port_owner_hint "$REDIS_PORT") that does not answer PING: stop it, or set REDIS_URL"
  fi
  if ! have redis-server; then
    if can_apt; then
      apt_install redis-server || die "installing redis-server with apt-get failed (see $(rel "$STATE")/install.log): install Debian's redis-server package or set REDIS_URL"
    fi
    have redis-server || die "redis-server not found: install Debian's redis-server package or set REDIS_URL"
  fi
  mkdir -p "$STATE/redis"
  local out
  if ! out=$(redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --save '' --appendonly no \
    --dir "$STATE/redis" --daemonize yes --pidfile "$STATE/redis.pid" --logfile "$STATE/redis.log" 2>&1 8>&- 9>&-); then
    printf '%s\n' "$out" >&2
    tail_log "$STATE/redis.log" 30
    die "redis-server failed to start (log: $(rel "$STATE")/redis.log)"
  fi
  if ! redis_wait "$url" "$REDIS_WAIT"; then
    tail_log "$STATE/redis.log" 30
    die "Redis on 127.0.0.1:$REDIS_PORT does not answer PING after ${REDIS_WAIT}s (log: $(rel "$STATE")/redis.log)"
  fi
  # redis writes its pid file right after daemonizing; give it a moment.
  for _ in 1 2 3 4 5 6 7 8 9 10; do pid=$(redis_managed_pid) && break; sleep 0.1; done
  line redis running "pid ${pid:-?}, 127.0.0.1:$REDIS_PORT (started in $(since "$t0"))"
}

redis_down() {
  local pid
  if ! pid=$(redis_managed_pid); then
    rm -f "$STATE/redis.pid"
    if tcp_open 127.0.0.1 "$REDIS_PORT"; then
      line redis skipped "127.0.0.1:$REDIS_PORT was not started by infra.sh; left alone"
    else
      line redis stopped ""
    fi
    return 0
  fi
  kill -TERM "$pid" 2>/dev/null || true
  if ! wait_gone "$pid" 15; then
    note "redis (pid $pid) ignored SIGTERM for 15s; killing it"
    kill -KILL "$pid" 2>/dev/null || true
    wait_gone "$pid" 5 || true
  fi
  rm -f "$STATE/redis.pid"
  line redis stopped "(was pid $pid)"
}

# ----------------------------------------------------------------- Kafka ---
JAVA_BIN=""
MVN_BIN=""

java_major() { # java binary -> major version (17, 21, 8, ...)
  local v
  v=$(timeout 20 "$1" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2; exit}' || true)
  v=${v#1.}
  [[ $v =~ ^[0-9]+$ ]] && printf '%s' "$v"
}

resolve_java() {
  local j v
  if [[ -n ${JAVA:-} ]]; then
    j=$(command -v -- "$JAVA" 2>/dev/null || true)
    [[ -n $j && -x $j ]] || die "JAVA=$JAVA is not an executable: point JAVA at a Java 17+ 'java' binary, or unset JAVA to use (or install) the system JDK. Alternatively set KAFKA_BROKERS to use an existing broker"
    v=$(java_major "$j") || die "JAVA=$JAVA does not run as a Java VM ('$JAVA -version' failed): point JAVA at a Java 17+ 'java' binary"
    ((v >= 17)) || die "JAVA=$JAVA is Java $v; Kafka $KAFKA_VERSION needs Java 17+: point JAVA at a newer JDK"
    JAVA_BIN=$j
    return 0
  fi
  local cands=()
  have java && cands+=("$(command -v java)")
  for j in /usr/lib/jvm/*/bin/java; do [[ -x $j ]] && cands+=("$j"); done
  for j in "${cands[@]}"; do
    v=$(java_major "$j" || true)
    if [[ -n $v ]] && ((v >= 17)); then
      JAVA_BIN=$j
      return 0
    fi
  done
  if can_apt; then
    apt_install openjdk-17-jre-headless || die "installing openjdk-17-jre-headless with apt-get failed (see $(rel "$STATE")/install.log): install a Java 17+ runtime, set JAVA=/path/to/java, or set KAFKA_BROKERS"
    for j in /usr/lib/jvm/java-17-openjdk-*/bin/java; do
      [[ -x $j ]] && { JAVA_BIN=$j; return 0; }
    done
  fi
  die "Java 17+ not found (needed to run the Kafka broker): install openjdk-17-jre-headless, set JAVA=/path/to/java, or set KAFKA_BROKERS to use an existing broker"
}

resolve_mvn() {
  local m
  if [[ -n ${MVN:-} ]]; then
    m=$(command -v -- "$MVN" 2>/dev/null || true)
    [[ -n $m && -x $m ]] || die "MVN=$MVN is not an executable: point MVN at Maven's 'mvn', or unset MVN to use (or install) the system Maven. Maven is needed once to download the Kafka $KAFKA_VERSION jars"
    MVN_BIN=$m
    return 0
  fi
  if ! have mvn && can_apt; then
    apt_install maven || die "installing maven with apt-get failed (see $(rel "$STATE")/install.log): install Maven, set MVN=/path/to/mvn, or set KAFKA_BROKERS"
  fi
  have mvn || die "Maven (mvn) not found; it is needed once to download the Kafka $KAFKA_VERSION jars from Maven Central: install Debian's maven package, set MVN=/path/to/mvn, or set KAFKA_BROKERS to use an existing broker"
  MVN_BIN=$(command -v mvn)
}

pom_sum() { sha256sum "$KAFKA_POM" | cut -d' ' -f1; }

# The marker lists every jar plus the pom's checksum; the libs dir counts as
# complete only if the pom is unchanged and every listed jar is still there.
kafka_libs_complete() {
  local marker="$KAFKA_LIBS/.complete" f first
  [[ -s $marker ]] || return 1
  first=$(head -n1 "$marker")
  [[ $first == "# pom $(pom_sum)" ]] || return 1
  while IFS= read -r f; do
    [[ $f == \#* || -z $f ]] && continue
    [[ -s $KAFKA_LIBS/$f ]] || return 1
  done <"$marker"
}

fetch_kafka_libs() {
  kafka_libs_complete && return 0
  resolve_mvn
  local log="$STATE/kafka-fetch.log" t0 rc=0
  t0=$(now_us)
  note "downloading Apache Kafka $KAFKA_VERSION jars from Maven Central into $(rel "$KAFKA_LIBS") (first run only) ..."
  rm -rf "$KAFKA_LIBS"
  mkdir -p "$KAFKA_LIBS" "$DOWNLOADS/m2"
  local jh=${JAVA_HOME:-}
  [[ -n $jh ]] || jh=$(dirname -- "$(dirname -- "$(readlink -f -- "$JAVA_BIN")")")
  JAVA_HOME=$jh timeout "$MVN_TIMEOUT" "$MVN_BIN" -q -B -f "$KAFKA_POM" dependency:copy-dependencies \
    -DincludeScope=runtime -DoutputDirectory="$KAFKA_LIBS" -Dmaven.repo.local="$DOWNLOADS/m2" \
    >"$log" 2>&1 || rc=$?
  if [[ $rc -ne 0 ]]; then
    tail_log "$log" 30
    [[ $rc -ne 124 ]] || die "downloading the Kafka jars timed out after ${MVN_TIMEOUT}s (log: $(rel "$log")); check access to Maven Central and retry"
    die "downloading the Kafka jars with Maven failed (log: $(rel "$log")); check access to Maven Central (repo.maven.apache.org) and retry, or set KAFKA_BROKERS"
  fi
  [[ -s $KAFKA_LIBS/kafka_2.13-$KAFKA_VERSION.jar ]] || die "Maven finished but $(rel "$KAFKA_LIBS")/kafka_2.13-$KAFKA_VERSION.jar is missing (log: $(rel "$log"))"
  {
    printf '# pom %s\n' "$(pom_sum)"
    (cd "$KAFKA_LIBS" && ls -1 -- *.jar)
  } >"$KAFKA_LIBS/.complete.tmp"
  mv -f "$KAFKA_LIBS/.complete.tmp" "$KAFKA_LIBS/.complete"
  note "downloaded $(($(wc -l <"$KAFKA_LIBS/.complete") - 1)) jars in $(since "$t0")"
}

# 22-character base64url Kafka cluster id (must not start with '-').
gen_cluster_id() {
  local id
  while :; do
    id=$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | cut -c1-22)
    [[ ${#id} -eq 22 && $id != -* ]] && break
  done
  printf '%s' "$id"
}

kafka_write_config() {
  cat >"$STATE/kafka/server.properties" <<EOF
# Generated by scripts/infra.sh on every start: edit the script, not this file.
# Single-node KRaft broker+controller for local development and tests.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$KAFKA_CONTROLLER_PORT
listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
inter.broker.listener.name=PLAINTEXT
controller.listener.names=CONTROLLER
log.dirs=$STATE/kafka/data
num.partitions=3
default.replication.factor=1
offsets.topic.replication.factor=1
offsets.topic.num.partitions=10
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=false
delete.topic.enable=true
# Keep it light: this is a dev box, not a production broker.
num.network.threads=2
num.io.threads=4
num.recovery.threads.per.data.dir=1
EOF
}

kafka_jvm_opts() {
  KAFKA_JVM_OPTS=(-Xms256m -Xmx512m -Xss512k
    -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:InitiatingHeapOccupancyPercent=35
    -XX:+ExplicitGCInvokesConcurrent -XX:+ExitOnOutOfMemoryError
    -Djava.awt.headless=true -Djava.net.preferIPv4Stack=true
    "-Dlog4j2.configurationFile=$INFRA_DIR/kafka/log4j2.properties"
    "-Dkafka.logs.dir=$STATE/kafka")
  # Extra JVM flags, whitespace-separated (e.g. INFRA_KAFKA_JAVA_OPTS=-Xmx1g).
  if [[ -n ${INFRA_KAFKA_JAVA_OPTS:-} ]]; then
    local extra
    read -r -a extra <<<"$INFRA_KAFKA_JAVA_OPTS"
    KAFKA_JVM_OPTS+=("${extra[@]}")
  fi
}

kafka_managed_pid() {
  local pid
  pid=$(read_pid "$STATE/kafka.pid")
  pid_matches "$pid" "*kafka.Kafka*$STATE/kafka/server.properties*" && printf '%s' "$pid"
}

# kafka_wait BROKERS SECONDS [PID]: retry kafka_probe until it succeeds (0), the
# deadline passes (1) or PID exits (2).
kafka_wait() {
  local deadline=$((SECONDS + $2)) left
  while :; do
    if [[ -n ${3:-} ]] && ! pid_alive "$3"; then return 2; fi
    left=$((deadline - SECONDS))
    kafka_probe "$1" $((left < 1 ? 1 : left < 10 ? left : 10)) && return 0
    ((SECONDS < deadline)) || return 1
    sleep 0.5
  done
}

KAFKA_PROBE_ERR=""
# kafka_probe BROKERS TIMEOUT_S: TCP connect to the first broker, then a real
# metadata request via kafkajs (scripts/infra/kafka-ready.mjs).
kafka_probe() {
  local first=${1%%,*} t=$2
  first=${first#*://}
  if ! tcp_open "${first%:*}" "${first##*:}"; then
    KAFKA_PROBE_ERR="$first does not accept TCP connections"
    return 1
  fi
  if have node && [[ -d $ROOT/node_modules/kafkajs ]]; then
    if KAFKA_PROBE_ERR=$(timeout $((t + 5)) node "$INFRA_DIR/kafka-ready.mjs" "$1" --timeout $((t * 1000)) 2>&1 >/dev/null); then
      return 0
    fi
    return 1
  fi
  # No node/kafkajs (npm ci not run yet): fall back to the broker's own startup
  # message (kafka.log is truncated on every start; see kafka/log4j2.properties).
  if [[ $1 == "$LOCAL_KAFKA_BROKERS" ]] && grep -q 'Kafka Server started' "$STATE/kafka.log" 2>/dev/null; then
    return 0
  fi
  KAFKA_PROBE_ERR="cannot send a metadata request without node and node_modules/kafkajs (run npm ci)"
  [[ $1 != "$LOCAL_KAFKA_BROKERS" ]]
}

kafka_fail() {
  tail_log "$STATE/kafka/server.log" 30
  tail_log "$STATE/kafka.log" 30
  die "$*"
}

kafka_up() {
  local t0 pid
  t0=$(now_us)
  if [[ -n ${KAFKA_BROKERS:-} ]]; then
    kafka_wait "$KAFKA_BROKERS" "$EXTERNAL_WAIT" ||
      die "KAFKA_BROKERS=$KAFKA_BROKERS is set but the broker is not reachable within ${EXTERNAL_WAIT}s ($KAFKA_PROBE_ERR): start it, or unset KAFKA_BROKERS to use the local one"
    line kafka external "$KAFKA_BROKERS (KAFKA_BROKERS; reachable)"
    return 0
  fi
  local starting=""
  if tcp_open 127.0.0.1 "$KAFKA_PORT"; then
    if kafka_probe "$LOCAL_KAFKA_BROKERS" 5; then
      if pid=$(kafka_managed_pid); then
        line kafka running "pid $pid, 127.0.0.1:$KAFKA_PORT (already running)"
      else
        line kafka running "127.0.0.1:$KAFKA_PORT (already running; not started by infra.sh)"
      fi
      return 0
    fi
    pid=$(kafka_managed_pid) ||
      die "127.0.0.1:$KAFKA_PORT is in use by a process not started by infra.sh $(port_owner_hint "$KAFKA_PORT") and the Kafka check failed: $KAFKA_PROBE_ERR. Stop that process, or set KAFKA_BROKERS to use it"
    starting=$pid
  elif pid=$(kafka_managed_pid); then
    starting=$pid
  fi

  if [[ -n $starting ]]; then
    note "kafka (pid $starting) is running but not ready yet; waiting up to ${KAFKA_WAIT}s"
  else
    [[ ! -f $STATE/kafka.pid ]] || { note "removing stale $(rel "$STATE")/kafka.pid"; rm -f "$STATE/kafka.pid"; }
    if tcp_open 127.0.0.1 "$KAFKA_CONTROLLER_PORT"; then
      die "controller port $KAFKA_CONTROLLER_PORT is in use by another process $(port_owner_hint "$KAFKA_CONTROLLER_PORT"): stop it, or set KAFKA_BROKERS"
    fi
    resolve_java
    fetch_kafka_libs
    mkdir -p "$STATE/kafka/data"
    kafka_write_config
    kafka_jvm_opts
    local cid_file="$STATE/kafka/cluster.id" cid
    if [[ ! -s $cid_file ]]; then
      cid=$(sed -n 's/^cluster\.id=//p' "$STATE/kafka/data/meta.properties" 2>/dev/null || true)
      [[ -n $cid ]] || cid=$(gen_cluster_id)
      printf '%s\n' "$cid" >"$cid_file"
    fi
    cid=$(<"$cid_file")
    if [[ ! -f $STATE/kafka/data/meta.properties ]]; then
      note "formatting Kafka storage $(rel "$STATE")/kafka/data (cluster id $cid; first run only)"
      timeout 120 "$JAVA_BIN" "${KAFKA_JVM_OPTS[@]}" -cp "$KAFKA_LIBS/*" kafka.tools.StorageTool format \
        -t "$cid" -c "$STATE/kafka/server.properties" >"$STATE/kafka-format.log" 2>&1 ||
        { tail_log "$STATE/kafka-format.log" 30; die "formatting Kafka storage failed (log: $(rel "$STATE")/kafka-format.log); try: bash scripts/infra.sh reset"; }
    fi
    : >"$STATE/kafka.log"
    # Detached in its own session; the wrapper records the JVM's pid, then execs it.
    # The JVM must not inherit (and so hold) our lock fds 8/9.
    (
      cd "$STATE/kafka" || exit 1
      exec 8>&- 9>&-
      setsid bash -c 'echo $$ >"$1"; shift; exec "$@"' _ "$STATE/kafka.pid" \
        "$JAVA_BIN" "${KAFKA_JVM_OPTS[@]}" -cp "$KAFKA_LIBS/*" kafka.Kafka "$STATE/kafka/server.properties" \
        </dev/null >>"$STATE/kafka.log" 2>&1 &
    )
    for _ in $(seq 1 50); do [[ -s $STATE/kafka.pid ]] && break; sleep 0.1; done
    starting=$(read_pid "$STATE/kafka.pid")
    [[ -n $starting ]] || kafka_fail "the Kafka JVM did not start (no pid file)"
  fi

  local rc=0
  kafka_wait "$LOCAL_KAFKA_BROKERS" "$KAFKA_WAIT" "$starting" || rc=$?
  if [[ $rc -eq 2 ]]; then
    rm -f "$STATE/kafka.pid"
    kafka_fail "the Kafka broker (pid $starting) exited during startup (logs: $(rel "$STATE")/kafka/server.log, $(rel "$STATE")/kafka.log)"
  elif [[ $rc -ne 0 ]]; then
    kafka_fail "the Kafka broker (pid $starting) is not ready after ${KAFKA_WAIT}s ($KAFKA_PROBE_ERR); it is still running: bash scripts/infra.sh down to stop it"
  fi
  line kafka running "pid $starting, 127.0.0.1:$KAFKA_PORT (started in $(since "$t0"))"
}

kafka_down() {
  local pid
  if ! pid=$(kafka_managed_pid); then
    rm -f "$STATE/kafka.pid"
    if tcp_open 127.0.0.1 "$KAFKA_PORT"; then
      line kafka skipped "127.0.0.1:$KAFKA_PORT was not started by infra.sh; left alone"
    else
      line kafka stopped ""
    fi
    return 0
  fi
  kill -TERM "$pid" 2>/dev/null || true
  if ! wait_gone "$pid" 30; then
    note "kafka (pid $pid) did not stop within 30s of SIGTERM; killing it"
    kill -KILL "$pid" 2>/dev/null || true
    wait_gone "$pid" 5 || true
  fi
  rm -f "$STATE/kafka.pid"
  line kafka stopped "(was pid $pid)"
}

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
