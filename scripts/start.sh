#!/usr/bin/env bash
# `npm start`: the whole platform on this machine. Starts Postgres, Redis and Kafka if needed
# (scripts/infra.sh), builds, then runs all seven services; Ctrl+C stops the services (the
# infrastructure keeps running: `npm run infra -- down` stops it).
set -euo pipefail
cd "$(dirname "$0")/.."
export OTEL_LOGS_EXPORTER=${OTEL_LOGS_EXPORTER:-none} OTEL_METRICS_EXPORTER=${OTEL_METRICS_EXPORTER:-none}

bash scripts/infra.sh up
set -a
# shellcheck disable=SC1091
[ -n "${DATABASE_URL:-}" ] && [ -n "${REDIS_URL:-}" ] && [ -n "${KAFKA_BROKERS:-}" ] || . .cache/infra/env
set +a
bash scripts/build.sh

logs=.cache/logs
mkdir -p "$logs"
pids=()
stop() {
  trap - INT TERM EXIT
  echo
  echo "Stopping services..."
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  wait || true
  echo "Services stopped. Infrastructure is still running: 'npm run infra -- down' stops it."
  exit 0
}
trap stop INT TERM EXIT

wait_ready() { # name port
  for _ in $(seq 1 120); do
    if node -e "fetch('http://127.0.0.1:$2/health/ready').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"; then return 0; fi
    if ! kill -0 "$3" 2>/dev/null; then echo "$1 exited; last lines of $logs/$1.log:"; tail -20 "$logs/$1.log"; return 1; fi
    sleep 0.5
  done
  echo "$1 did not become ready in 60 s; see $logs/$1.log"
  return 1
}

start() { # name port
  node "services/$1/dist/main.js" >"$logs/$1.log" 2>&1 &
  pids+=($!)
  echo "  $1 starting on :$2 (log: $logs/$1.log)"
}

echo "Starting Parley (${DEPLOYMENT_MODE:-self-hosted} mode)..."
# The tenant service migrates the control plane and creates the default tenant: start it first.
start tenant 8002
wait_ready tenant 8002 "${pids[-1]}"
for entry in gateway:8000 auth:8001 billing:8003 chat-orchestrator:8004 stt:8005 analytics:8006; do
  start "${entry%%:*}" "${entry##*:}"
done
i=1
for entry in gateway:8000 auth:8001 billing:8003 chat-orchestrator:8004 stt:8005 analytics:8006; do
  wait_ready "${entry%%:*}" "${entry##*:}" "${pids[$i]}"
  i=$((i + 1))
done

cat <<MSG

Parley is running.
  Gateway:   http://localhost:8000   (health: http://localhost:8000/health/ready, metrics: /metrics)
  Services:  auth :8001, tenant :8002, billing :8003, chat-orchestrator :8004, stt :8005, analytics :8006
  Logs:      $logs/<service>.log (JSON)
Stop with Ctrl+C.
MSG
wait -n "${pids[@]}" || true
echo "A service exited (see $logs/); stopping the others."
