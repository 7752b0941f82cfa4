#!/usr/bin/env bash
# Restart-on-crash for `npm start`, as a process manager or Kubernetes would do it.
#
#   supervise <name> <log file> <command...>
#
# Runs the command with its output appended to the log file; when it exits for any reason other
# than this supervisor being stopped, logs one line to stderr and restarts it after a backoff that
# doubles from SUPERVISE_BACKOFF_MIN_S (1) to SUPERVISE_BACKOFF_MAX_S (30), reset after the command
# stayed up SUPERVISE_HEALTHY_S (30) seconds. SIGTERM/SIGINT stop the command (SIGTERM, its own
# graceful shutdown) and then the supervisor, exit 0. Meant to run in the background (`supervise … &`).
supervise() {
  local name=$1 log=$2
  shift 2
  local min=${SUPERVISE_BACKOFF_MIN_S:-1} max=${SUPERVISE_BACKOFF_MAX_S:-30} healthy=${SUPERVISE_HEALTHY_S:-30}
  local backoff=$min child="" started code stopping=0
  # shellcheck disable=SC2317 # invoked by the trap
  stop_child() {
    stopping=1
    if [[ -n $child ]]; then
      kill -TERM "$child" 2>/dev/null || true
      wait "$child" 2>/dev/null || true
    fi
    exit 0
  }
  trap stop_child TERM INT
  while :; do
    started=$SECONDS
    "$@" >>"$log" 2>&1 &
    child=$!
    code=0
    wait "$child" || code=$?
    child=""
    ((stopping)) && exit 0
    ((SECONDS - started >= healthy)) && backoff=$min
    printf '%s supervisor: %s exited with code %s after %ss; restarting in %ss\n' \
      "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$name" "$code" "$((SECONDS - started))" "$backoff" >&2
    sleep "$backoff" &
    wait $! || true
    backoff=$((backoff * 2 > max ? max : backoff * 2))
  done
}
