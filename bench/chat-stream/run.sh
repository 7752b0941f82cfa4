#!/usr/bin/env bash
# Streaming chat benchmark on loopback, whole platform against the simulator directly:
# `bash bench/chat-stream/run.sh [--scale 1]`. Writes docs/benchmarks/chat-stream.{md,json}.
set -euo pipefail
cd "$(dirname "$0")/../.."
if [ -z "${KAFKA_BROKERS:-}" ] || [ -z "${REDIS_URL:-}" ] || [ -z "${DATABASE_URL:-}" ]; then
  bash scripts/infra.sh up >/dev/null
  set -a
  # shellcheck disable=SC1091
  . .cache/infra/env
  set +a
fi
bash scripts/build.sh >/dev/null
export OTEL_LOGS_EXPORTER=none OTEL_METRICS_EXPORTER=none OTEL_TRACES_EXPORTER=none
exec node bench/chat-stream/dist/run.js "$@"
