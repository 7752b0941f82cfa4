#!/usr/bin/env bash
# `npm test`: the whole suite against real Postgres, Redis and Kafka (started if needed).
# Steps: infrastructure, Keycloak, Jaeger, stripe-mock and the speech engine (installed once), format, lint (type-aware + Nx module boundaries), typecheck, build, tests
# (unit, integration, deploy). Ends with one summary line: "N passed, N failed, N skipped".
set -euo pipefail
cd "$(dirname "$0")/.."
export NX_DAEMON=false NX_NO_CLOUD=true NX_TUI=false
export OTEL_LOGS_EXPORTER=none OTEL_METRICS_EXPORTER=none OTEL_TRACES_EXPORTER=none
started=$(date +%s)
step() { printf '\n== %s (%ss)\n' "$1" "$(($(date +%s) - started))"; }

step "infrastructure"
# The suite trades Postgres durability for speed (fsync off); `npm start` turns it back on.
INFRA_PG_DURABILITY=fast bash scripts/infra.sh up
set -a
# shellcheck disable=SC1091
[ -n "${DATABASE_URL:-}" ] && [ -n "${REDIS_URL:-}" ] && [ -n "${KAFKA_BROKERS:-}" ] || . .cache/infra/env
set +a

step "keycloak (the SSO tests' identity provider: downloaded and built once per machine)"
# Idempotent and instant once ~/.cache/parley/keycloak-26.7.3 is built; the tests start it once per
# run (libs/testing keycloak-server.ts) and stop it at the end.
bash scripts/keycloak.sh install >/dev/null

step "jaeger (the tracing tests' trace store: built once per machine from the Go module proxy)"
# Idempotent and instant once ~/.cache/parley/jaeger-1.75.0 is built; the tests start it once per run
# (libs/testing jaeger-server.ts) and stop it at the end. The suite's own processes export nothing
# (OTEL_TRACES_EXPORTER=none above); the tracing test turns export on for the services it starts.
bash scripts/jaeger.sh install >/dev/null

step "stripe-mock (the billing tests' Stripe API: built once per machine with go install)"
# Idempotent and instant once ~/.cache/parley/stripe-mock-0.203.0 is built; the tests start it once per
# run (libs/testing stripe-mock-server.ts) and stop it at the end.
bash scripts/stripe-mock.sh install >/dev/null

step "speech engine (faster-whisper venv, Whisper base + tiny models, ffmpeg/espeak-ng/sox: once per machine)"
# Idempotent and instant once ~/.cache/parley/stt-venv-* and models/whisper-* exist (scripts/stt-engine.sh).
bash scripts/stt-engine.sh install >/dev/null

step "format (prettier --check)"
npx prettier --check . --log-level warn

step "lint (eslint, type-aware rules, Nx module boundaries)"
npx nx show projects >/dev/null # computes the project graph the boundary rule reads
npx eslint . --max-warnings=0

step "typecheck (tsc --noEmit, strict)"
npx tsc -p tsconfig.json
npx tsc -p services/web/tsconfig.json # the web app: DOM lib, JSX, bundler resolution

step "build (swc)"
bash scripts/build.sh

step "tests (vitest: unit, integration, deploy)"
mkdir -p .cache
status=0
npx vitest run --reporter=default --reporter=json --outputFile.json=.cache/test-results.json "$@" || status=$?
node -e '
  const r = require("./.cache/test-results.json");
  const skipped = (r.numPendingTests || 0) + (r.numTodoTests || 0);
  // A file that fails outside any test (setup, import) counts as one failure.
  const brokenFiles = r.testResults.filter((f) => f.status === "failed" && !f.assertionResults.some((a) => a.status === "failed")).length;
  console.log(`\n${r.numPassedTests} passed, ${r.numFailedTests + brokenFiles} failed, ${skipped} skipped`);
' || true
step "done"
exit "$status"
