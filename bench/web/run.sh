#!/usr/bin/env bash
# The web app itself in headless Chromium on loopback, against the self-hosted platform (login off)
# answered by the LLM simulator: `bash bench/web/run.sh [--runs 15]`. Measures the gzipped JavaScript
# of the first route, first contentful paint, and time to first token rendered against the API's own
# time to first token in the same run. Writes docs/benchmarks/web.{md,json}.
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
chromium=$(bash scripts/ensure-chromium.sh)
export OTEL_LOGS_EXPORTER=none OTEL_METRICS_EXPORTER=none OTEL_TRACES_EXPORTER=none
exec node bench/web/dist/run.js --chromium "$chromium" "$@"
