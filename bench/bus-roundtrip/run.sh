#!/usr/bin/env bash
# Bus round-trip benchmark against the real broker: `npm run bench:bus`.
set -euo pipefail
cd "$(dirname "$0")/../.."
bash scripts/infra.sh up >/dev/null
set -a
# shellcheck disable=SC1091
[ -n "${KAFKA_BROKERS:-}" ] && [ -n "${REDIS_URL:-}" ] && [ -n "${DATABASE_URL:-}" ] || . .cache/infra/env
set +a
bash scripts/build.sh >/dev/null
export OTEL_LOGS_EXPORTER=none OTEL_METRICS_EXPORTER=none OTEL_TRACES_EXPORTER=none
exec node bench/bus-roundtrip/dist/run.js "$@"
