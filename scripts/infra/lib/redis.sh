# shellcheck shell=bash
# Redis for scripts/infra.sh: install, start, health checks, stop.
# Sourced by scripts/infra.sh after common.sh.
# shellcheck disable=SC2016 # single-quoted `bash -c` snippets expand their own "$1"...

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
  # Not followed by a digit: a redis on :56379 is not ours when REDIS_PORT is 5637.
  pid_matches "$pid" "*redis-server*:$REDIS_PORT*" && ! pid_matches "$pid" "*redis-server*:${REDIS_PORT}[0-9]*" &&
    printf '%s' "$pid"
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
    report_unmanaged redis "$STATE/redis.pid" "$REDIS_PORT"
    return 0
  fi
  terminate redis "$pid" 15
  rm -f "$STATE/redis.pid"
  line redis stopped "(was pid $pid)"
}
