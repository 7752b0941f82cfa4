#!/usr/bin/env bash
# Fault bench on loopback: `bash bench/faults/run.sh [--kills N] [--redis-samples N]`. Kills only
# servers of its own (a private Kafka, Redis and Postgres); the shared ones are never touched.
set -euo pipefail
cd "$(dirname "$0")/../.."
if [ -z "${KAFKA_BROKERS:-}" ] || [ -z "${REDIS_URL:-}" ] || [ -z "${DATABASE_URL:-}" ]; then
  INFRA_PG_DURABILITY=fast bash scripts/infra.sh up >/dev/null
  set -a
  # shellcheck disable=SC1091
  . .cache/infra/env
  set +a
fi
bash scripts/build.sh >/dev/null
export OTEL_LOGS_EXPORTER=none OTEL_METRICS_EXPORTER=none OTEL_TRACES_EXPORTER=none
exec node bench/faults/dist/run.js "$@"
