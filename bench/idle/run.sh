#!/usr/bin/env bash
# Idle cost of the platform: `bash bench/idle/run.sh [--seconds 60]`. Writes docs/benchmarks/idle.{md,json}.
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
exec node bench/idle/dist/run.js "$@"
