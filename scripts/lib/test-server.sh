#!/usr/bin/env bash
# What the scripts that run one local server per test run share (stripe-mock, Keycloak, Jaeger):
# messages, a free port, one instance per run folder shared by parallel workers, the wait until
# ready and the stop of the server's process group. Source it after setting SERVER_NAME.

note() { printf '%s: %s\n' "$SERVER_NAME" "$*" >&2; }
die() {
  printf '%s: error: %s\n' "$SERVER_NAME" "$*" >&2
  exit 1
}

# A free port above the kernel's ephemeral range (61000-65535): never the one a test worker's
# allocator (20000-32767, libs/testing freePort) or an outgoing connection is about to use.
free_port() {
  node -e 'const n=require("net");const t=(k)=>{const p=61000+Math.floor(Math.random()*4500);const s=n.createServer();s.once("error",()=>k>0?t(k-1):process.exit(1));s.listen(p,"127.0.0.1",()=>{console.log(p);s.close()})};t(50)'
}

# lock_run RUN WAIT: takes RUN's start lock (fd 8, held until the script ends) and prints the env
# of an instance already running there (return 0), or returns 1 for the caller to start one.
# Test workers of one run share one instance: the first starts it, the others wait here and reuse it.
lock_run() {
  local run=$1 wait=$2
  exec 8>"$run/up.lock"
  flock -w "$wait" 8 || die "timed out waiting for another start in $run"
  if [[ -s $run/pid ]] && kill -0 "$(cat "$run/pid")" 2>/dev/null && [[ -s $run/env ]]; then
    cat "$run/env"
    return 0
  fi
  return 1
}

# wait_ready RUN PID WAIT LOG URL [any]: polls URL every 0.2 s until it answers 2xx/3xx (with `any`:
# any HTTP answer); when the process exits or WAIT seconds pass, shows the log's tail, stops the
# instance and fails.
wait_ready() {
  local run=$1 pid=$2 wait=$3 log=$4 url=$5 fail=-f deadline=$((SECONDS + $3))
  [[ ${6:-} == any ]] && fail=
  until curl $fail -sS -o /dev/null "$url" 2>/dev/null; do
    if ! kill -0 "$pid" 2>/dev/null; then
      tail -n 30 "$log" >&2
      die "exited during start (log: $log)"
    fi
    ((SECONDS < deadline)) || {
      tail -n 30 "$log" >&2
      stop_run "$run"
      die "not ready within $wait s (log: $log)"
    }
    sleep 0.2
  done
}

# stop_run RUN: SIGTERM to the process group of RUN's instance (started with setsid), SIGKILL
# after 15 s, then its pid and env files are removed.
stop_run() {
  local run=$1 pid
  pid="$(cat "$run/pid" 2>/dev/null || true)"
  if [[ $pid =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null; then
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 60); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.25
    done
    kill -KILL -- "-$pid" 2>/dev/null || true
  fi
  rm -f "$run/pid" "$run/env"
}
