# shellcheck shell=bash
# PostgreSQL for scripts/infra.sh: find/install the server binaries, initdb,
# start, health checks, stop. Sourced by scripts/infra.sh after common.sh.

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

# INFRA_PG_DURABILITY=durable (the default; `npm start`): what Postgres acknowledges survives a crash.
# INFRA_PG_DURABILITY=fast (`npm test` only): durability traded for speed; a crash of the machine or
# of postgres (not a clean stop) can lose acknowledged commits or corrupt the data.
pg_durability_conf() {
  case "$PG_DURABILITY" in
    fast) printf '%s\n' "# INFRA_PG_DURABILITY=fast: the test suite only. A crash can lose or corrupt data." \
      "fsync = off" "synchronous_commit = off" "full_page_writes = off" ;;
    *) printf '%s\n' "# INFRA_PG_DURABILITY=durable: every acknowledged commit is on disk." \
      "fsync = on" "synchronous_commit = on" "full_page_writes = on" ;;
  esac
}

# A running server whose conf names another durability mode: rewrite it and reload (all three
# settings take effect on SIGHUP, no restart).
pg_apply_durability() {
  [[ -f $PGDATA_DIR/parley.conf ]] || return 0
  grep -q "^# INFRA_PG_DURABILITY=$PG_DURABILITY:" "$PGDATA_DIR/parley.conf" && return 0
  pg_write_conf
  as_pg "$PG_BINDIR/pg_ctl" -D "$PGDATA_DIR" reload >/dev/null 2>&1 ||
    die "could not reload postgres to apply INFRA_PG_DURABILITY=$PG_DURABILITY"
  note "postgres: INFRA_PG_DURABILITY=$PG_DURABILITY applied (reloaded)"
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
$(pg_durability_conf)
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
      ensure_pg_bindir
      pg_setup_user
      pg_apply_durability
      line postgres running "pid $pid, 127.0.0.1:$PG_PORT (already running, $PG_DURABILITY)"
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
    report_unmanaged postgres "$STATE/pg.pid" "$PG_PORT"
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
