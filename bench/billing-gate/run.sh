#!/usr/bin/env bash
# What billing's gate (budgets, dunning) adds to chat admission: `bash bench/billing-gate/run.sh [rounds]`.
# In process on the real Redis and Postgres (services/chat-orchestrator/src/testing/measure-billing-gate.ts).
set -euo pipefail
cd "$(dirname "$0")/../.."
bash scripts/infra.sh up >/dev/null
set -a
# shellcheck disable=SC1091
[ -n "${KAFKA_BROKERS:-}" ] && [ -n "${REDIS_URL:-}" ] && [ -n "${DATABASE_URL:-}" ] || . .cache/infra/env
set +a
bash scripts/build-one.sh libs/contracts libs/config libs/observability libs/tenancy libs/bus libs/testing services/chat-orchestrator >/dev/null
export OTEL_LOGS_EXPORTER=none OTEL_METRICS_EXPORTER=none OTEL_TRACES_EXPORTER=none
exec node services/chat-orchestrator/dist/testing/measure-billing-gate.js "$@"
