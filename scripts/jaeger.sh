#!/usr/bin/env bash
# Jaeger (v2, all-in-one) for Parley's tracing tests and local development, on 127.0.0.1 only.
#
#   bash scripts/jaeger.sh install        # build the binary once per machine (Go module proxy), print its path
#   bash scripts/jaeger.sh up [RUN_DIR]   # start one instance (state in RUN_DIR), print JAEGER_OTLP_URL=… JAEGER_QUERY_URL=…
#   bash scripts/jaeger.sh down [RUN_DIR] # stop the instance of RUN_DIR
#
# The binary is github.com/jaegertracing/jaeger/cmd/jaeger at v1.75.0 (the approved release; newer ones are
# served by the proxy but not approved), built into ~/.cache/parley/jaeger-1.75.0 (JAEGER_CACHE_DIR). A plain
# `go install …/cmd/jaeger@v1.75.0` is refused by Go ("The go.mod file for the module providing named packages
# contains one or more replace directives": v1.75.0 replaces github.com/Shopify/sarama), so the module is
# downloaded from the proxy (`go mod download`) and built as the main module from its own directory, which
# honours its replace directive and its go.sum. The build takes minutes on a small machine; it runs once, under
# a lock, and every worktree reuses it.
#
# An instance keeps traces in memory (forgotten when it stops) and opens exactly two listeners, both on
# 127.0.0.1 with free ports: the OTLP/HTTP receiver (JAEGER_OTLP_URL, POST /v1/traces) and the query API
# (JAEGER_QUERY_URL: /api/traces/{id}, /api/services, /api/v3/…). The query extension's gRPC endpoint and the
# collector's own telemetry are bound to loopback too (a port each) or switched off; nothing binds 0.0.0.0.
# Tests start it through libs/testing (jaeger-server.ts): once per test run, stopped at teardown.
set -euo pipefail

ROOT="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd -P)"
JAEGER_VERSION=1.75.0
MODULE=github.com/jaegertracing/jaeger
CACHE="${JAEGER_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/parley}"
HOME_DIR="$CACHE/jaeger-$JAEGER_VERSION"
BIN="$HOME_DIR/jaeger"
READY_WAIT="${JAEGER_READY_WAIT:-60}"
INSTALL_TIMEOUT="${JAEGER_INSTALL_TIMEOUT:-3600}"

SERVER_NAME=jaeger
# shellcheck source=lib/test-server.sh
. "$ROOT/scripts/lib/test-server.sh"

install() {
  [[ -x $BIN ]] && { printf '%s\n' "$BIN"; return 0; }
  mkdir -p "$HOME_DIR"
  # One builder at a time (parallel test workers, several worktrees); the others wait, then reuse.
  exec 9>"$CACHE/jaeger-$JAEGER_VERSION.lock"
  flock -w "$INSTALL_TIMEOUT" 9 || die "timed out waiting for another install"
  if [[ ! -x $BIN ]]; then
    command -v go >/dev/null || die "Go 1.24+ is needed to build Jaeger (https://go.dev/dl, or apt-get install golang)"
    local dir start=$SECONDS
    note "downloading $MODULE@v$JAEGER_VERSION from the Go module proxy"
    dir=$(GOFLAGS=-mod=mod go mod download -json "$MODULE@v$JAEGER_VERSION" | node -e 'let s="";process.stdin.on("data",(d)=>(s+=d)).on("end",()=>{const m=JSON.parse(s);if(m.Error){console.error(m.Error);process.exit(1)}console.log(m.Dir)})') ||
      die "go mod download $MODULE@v$JAEGER_VERSION failed"
    note "building $MODULE/cmd/jaeger (several minutes the first time)"
    GOTOOLCHAIN=local GOFLAGS=-buildvcs=false timeout "$INSTALL_TIMEOUT" \
      go -C "$dir" build -trimpath -o "$BIN.tmp" ./cmd/jaeger || die "go build ./cmd/jaeger failed"
    mv "$BIN.tmp" "$BIN"
    note "built in $((SECONDS - start)) s: $BIN"
  fi
  printf '%s\n' "$BIN"
}

write_config() {
  local file=$1 otlp=$2 query=$3 query_grpc=$4
  cat >"$file" <<YAML
service:
  extensions: [jaeger_storage, jaeger_query]
  pipelines:
    traces:
      receivers: [otlp]
      processors: [batch]
      exporters: [jaeger_storage_exporter]
  telemetry:
    metrics:
      level: none
    logs:
      level: warn
extensions:
  jaeger_storage:
    backends:
      memstore:
        memory:
          max_traces: 100000
  jaeger_query:
    storage:
      traces: memstore
    http:
      endpoint: 127.0.0.1:$query
    grpc:
      endpoint: 127.0.0.1:$query_grpc
receivers:
  otlp:
    protocols:
      http:
        endpoint: 127.0.0.1:$otlp
processors:
  batch:
    timeout: 100ms
exporters:
  jaeger_storage_exporter:
    trace_storage: memstore
YAML
}

up() {
  local run=${1:-${JAEGER_RUN_DIR:-$(mktemp -d -t parley-jaeger.XXXXXX)}}
  install >/dev/null
  mkdir -p "$run"
  lock_run "$run" "$READY_WAIT" && return 0
  local otlp query query_grpc
  otlp=$(free_port)
  query=$(free_port)
  query_grpc=$(free_port)
  write_config "$run/config.yaml" "$otlp" "$query" "$query_grpc"
  # The child must not inherit the start lock (fd 8) or the install lock (fd 9).
  setsid "$BIN" --config "$run/config.yaml" >"$run/jaeger.log" 2>&1 </dev/null 8>&- 9>&- &
  echo $! >"$run/pid"
  printf 'JAEGER_OTLP_URL=http://127.0.0.1:%s\nJAEGER_QUERY_URL=http://127.0.0.1:%s\n' "$otlp" "$query" >"$run/env"
  wait_ready "$run" "$(cat "$run/pid")" "$READY_WAIT" "$run/jaeger.log" "http://127.0.0.1:$query/api/services"
  cat "$run/env"
}

down() {
  local run=${1:-${JAEGER_RUN_DIR:-}}
  [[ -n $run ]] || return 0
  stop_run "$run"
}

case "${1:-}" in
  install) install ;;
  up) up "${2:-}" ;;
  down) down "${2:-}" ;;
  *) die "usage: jaeger.sh install|up [RUN_DIR]|down [RUN_DIR]" ;;
esac
