#!/usr/bin/env bash
# stripe-mock (Stripe's official API fixture server) for Parley's billing tests, on 127.0.0.1 only.
#
#   bash scripts/stripe-mock.sh install        # `go install` once per machine into the machine cache
#   bash scripts/stripe-mock.sh up [RUN_DIR]   # start one instance (state in RUN_DIR), print STRIPE_MOCK_URL=…
#   bash scripts/stripe-mock.sh down [RUN_DIR] # stop the instance of RUN_DIR
#   bash scripts/stripe-mock.sh bin            # print the path of the binary
#
# The binary is built once (`go install github.com/stripe/stripe-mock@v0.203.0`, ~55 s, 33 MB) into
# ~/.cache/parley/stripe-mock-<version>/ (STRIPE_MOCK_CACHE_DIR), under a flock so parallel workers
# and worktrees build it once and reuse it. stripe-mock binds every interface unless both
# -http-addr and -https-addr are given, so both are always given, on 127.0.0.1.
# stripe-mock is stateless: it validates parameters against Stripe's OpenAPI spec and answers with
# fixture objects. Tests start it through libs/testing (stripe-mock-server.ts): once per test run,
# stopped at teardown.
set -euo pipefail

ROOT="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd -P)"
STRIPE_MOCK_VERSION=0.203.0
CACHE="${STRIPE_MOCK_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/parley}"
HOME_DIR="$CACHE/stripe-mock-$STRIPE_MOCK_VERSION"
BIN="$HOME_DIR/stripe-mock"
READY_WAIT="${STRIPE_MOCK_READY_WAIT:-60}"
INSTALL_TIMEOUT="${STRIPE_MOCK_INSTALL_TIMEOUT:-900}"

SERVER_NAME=stripe-mock
# shellcheck source=lib/test-server.sh
. "$ROOT/scripts/lib/test-server.sh"

install() {
  [[ -x $BIN ]] && { printf '%s\n' "$BIN"; return 0; }
  mkdir -p "$CACHE"
  # One installer at a time (parallel test workers, several worktrees); the others wait, then reuse.
  exec 9>"$CACHE/stripe-mock-$STRIPE_MOCK_VERSION.lock"
  flock -w "$INSTALL_TIMEOUT" 9 || die "timed out waiting for another install"
  if [[ ! -x $BIN ]]; then
    command -v go >/dev/null || die "Go is needed to build stripe-mock (https://go.dev/dl)"
    local tmp="$CACHE/.stripe-mock-$STRIPE_MOCK_VERSION.tmp" start=$SECONDS
    rm -rf "$tmp"
    mkdir -p "$tmp"
    note "building github.com/stripe/stripe-mock@v$STRIPE_MOCK_VERSION (once per machine, ~1 min)"
    GOBIN="$tmp" timeout "$INSTALL_TIMEOUT" go install "github.com/stripe/stripe-mock@v$STRIPE_MOCK_VERSION" ||
      die "go install failed"
    [[ -x $tmp/stripe-mock ]] || die "go install left no binary in $tmp"
    mkdir -p "$HOME_DIR"
    mv "$tmp/stripe-mock" "$BIN.tmp"
    mv "$BIN.tmp" "$BIN" # atomic: a reader sees no binary or the whole one
    rm -rf "$tmp"
    note "installed $BIN in $((SECONDS - start)) s"
  fi
  flock -u 9
  printf '%s\n' "$BIN"
}

up() {
  local run="${1:-$ROOT/.cache/stripe-mock}" port sport pid
  install >/dev/null
  [[ $run == /* ]] || run="$PWD/$run"
  mkdir -p "$run"
  lock_run "$run" "$READY_WAIT" && return 0
  port="${STRIPE_MOCK_PORT:-$(free_port)}"
  sport="$(free_port)"
  (exec setsid "$BIN" -http-addr "127.0.0.1:$port" -https-addr "127.0.0.1:$sport" >"$run/stripe-mock.log" 2>&1 </dev/null 8>&- 9>&-) &
  pid=$!
  printf '%s\n' "$pid" >"$run/pid"
  # Any HTTP answer means it listens (an unauthenticated request gets a 401 from the fixture server).
  wait_ready "$run" "$pid" "$READY_WAIT" "$run/stripe-mock.log" "http://127.0.0.1:$port/v1/customers" any
  {
    printf 'STRIPE_MOCK_URL=http://127.0.0.1:%s\n' "$port"
    printf 'STRIPE_MOCK_PID=%s\n' "$pid"
  } >"$run/env.tmp"
  mv "$run/env.tmp" "$run/env"
  cat "$run/env"
}

down() {
  local run="${1:-$ROOT/.cache/stripe-mock}"
  [[ $run == /* ]] || run="$PWD/$run"
  stop_run "$run"
}

case "${1:-}" in
  install) install ;;
  bin) printf '%s\n' "$BIN" ;;
  up) up "${2:-}" ;;
  down) down "${2:-}" ;;
  *) die "usage: scripts/stripe-mock.sh install|bin|up [RUN_DIR]|down [RUN_DIR]" ;;
esac
