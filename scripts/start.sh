#!/usr/bin/env bash
# `npm start`: the whole platform on this machine. Starts Postgres, Redis and Kafka if needed
# (scripts/infra.sh, Postgres durable), builds, then runs a local SMTP sink and all seven services,
# each under a supervisor that restarts it if it exits (backoff 1 s doubling to 30 s, one line per
# restart in .cache/logs/supervisor.log); Ctrl+C stops them (the infrastructure keeps running:
# `npm run infra -- down` stops it).
set -euo pipefail
cd "$(dirname "$0")/.."
export OTEL_LOGS_EXPORTER=${OTEL_LOGS_EXPORTER:-none} OTEL_METRICS_EXPORTER=${OTEL_METRICS_EXPORTER:-none}

INFRA_PG_DURABILITY=durable bash scripts/infra.sh up
set -a
# shellcheck disable=SC1091
[ -n "${DATABASE_URL:-}" ] && [ -n "${REDIS_URL:-}" ] && [ -n "${KAFKA_BROKERS:-}" ] || . .cache/infra/env
set +a
bash scripts/build.sh
# The stt service's offline engine (faster-whisper venv and Whisper models, once per machine): its
# paths become STT_PYTHON, STT_MODEL_DIR and STT_PARTIAL_MODEL_DIR. Without it stt starts anyway and
# reports the engine down in its readiness (transcriptions answer 503 stt_engine_unavailable).
if stt_paths=$(bash scripts/stt-engine.sh install); then
  set -a
  eval "$stt_paths"
  set +a
else
  echo "  speech engine: could not be installed (see above); speech to text will answer 503"
fi

logs=.cache/logs
mkdir -p "$logs"
declare -A pid_of=()
stop() {
  trap - INT TERM EXIT
  echo
  echo "Stopping services..."
  for pid in "${pid_of[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  wait || true
  echo "Services stopped. Infrastructure is still running: 'npm run infra -- down' stops it."
  exit 0
}
trap stop INT TERM EXIT

# name port: waits for /health/ready (services) or the port (the mail sink), at most 60 s.
wait_ready() {
  local name=$1 port=$2 path=${3:-/health/ready}
  for _ in $(seq 1 120); do
    if node -e "fetch('http://127.0.0.1:$port$path').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"; then return 0; fi
    if ! kill -0 "${pid_of[$name]}" 2>/dev/null; then
      echo "$name's supervisor exited; last lines of $logs/$name.log:"
      tail -20 "$logs/$name.log"
      return 1
    fi
    sleep 0.5
  done
  echo "$name did not become ready in 60 s; see $logs/$name.log"
  return 1
}

# shellcheck source=lib/supervise.sh
. scripts/lib/supervise.sh
launch() { # name command...: runs it under the supervisor (restarted with backoff if it exits)
  local name=$1
  shift
  : >"$logs/$name.log"
  supervise "$name" "$logs/$name.log" "$@" 2>>"$logs/supervisor.log" &
  pid_of[$name]=$!
}

echo "Starting Parley (${DEPLOYMENT_MODE:-self-hosted} mode)..."
# Cloud mode refuses the public development key for the principal tokens and service credentials:
# without INTERNAL_AUTH_SECRET, use this machine's own random one (made once, kept in .cache/).
if [ "${DEPLOYMENT_MODE:-self-hosted}" = cloud ] && [ -z "${INTERNAL_AUTH_SECRET:-}" ]; then
  secret_file=.cache/internal-auth-secret
  if [ ! -s "$secret_file" ]; then
    (umask 077 && node -e 'process.stdout.write(require("crypto").randomBytes(32).toString("base64"))' >"$secret_file")
  fi
  INTERNAL_AUTH_SECRET=$(cat "$secret_file")
  export INTERNAL_AUTH_SECRET
  echo "  INTERNAL_AUTH_SECRET from $secret_file (this machine's own; set it yourself in production)"
fi
# Local mail: invites and password resets go to a real SMTP sink on 127.0.0.1:2525 that logs each
# message (links included) to .cache/logs/smtp-sink.log.
if ! (exec 3<>/dev/tcp/127.0.0.1/2525) 2>/dev/null; then
  launch smtp-sink node services/auth/dist/testing/smtp-sink.cli.js --port 2525
  echo "  smtp-sink on :2525 (mail: $logs/smtp-sink.log)"
fi
# Chat needs an LLM provider. Keys in the environment are passed on to the chat-orchestrator.
# Without one, PARLEY_LLM chooses: `local` (default) runs the small local demo model (Gemma 3 270M on
# the CPU, fetched once from PyPI into ~/.cache/parley/models) behind an OpenAI-compatible endpoint;
# `simulator` the provider simulator (echo answers, both wire formats); `none` nothing (503).
llm_note="Chat:      no LLM provider configured: chat requests answer 503 provider_not_configured.
           Set ANTHROPIC_API_KEY, or OPENAI_API_KEY (and OPENAI_BASE_URL for OpenRouter, Ollama,
           vLLM, llama.cpp), then restart; or PARLEY_LLM=local|simulator npm start."
use_simulator() {
  launch llm-simulator node libs/testing/dist/llm-simulator/llm-simulator.cli.js --port 8090 --token-delay-ms 20
  export OPENAI_BASE_URL=http://127.0.0.1:8090/v1 OPENAI_API_KEY=simulator OPENAI_MODEL=simulator CHAT_PROVIDER_CHAIN=openai
  llm_note="Chat:      LLM simulator on :8090 (echo answers; log: $logs/llm-simulator.log) - not a real model${1:-}"
}
use_local_model() {
  local model
  if ! model=$(bash scripts/local-model/fetch-model.sh); then
    echo "  local model: could not be had (see above); falling back to the LLM simulator"
    use_simulator "
           (the local model could not be fetched: see scripts/local-model/fetch-model.sh)"
    return
  fi
  launch local-llm node libs/local-llm/dist/local-llm.cli.js --model "$model" --port 8091 --max-tokens 256
  echo "  local-llm starting on :8091 (log: $logs/local-llm.log)"
  if ! wait_ready local-llm 8091 /health; then
    kill -TERM "${pid_of[local-llm]}" 2>/dev/null || true
    unset 'pid_of[local-llm]'
    echo "  local model: did not start; falling back to the LLM simulator"
    use_simulator "
           (the local model did not start: see $logs/local-llm.log)"
    return
  fi
  export OPENAI_BASE_URL=http://127.0.0.1:8091/v1 OPENAI_MODEL=gemma-3-270m-local OPENAI_LOCAL_DEMO=true CHAT_PROVIDER_CHAIN=openai
  unset OPENAI_API_KEY
  llm_note="Chat:      local demo model Gemma 3 270M on :8091 (CPU; log: $logs/local-llm.log): small and
           often wrong, for trying Parley. For real answers set ANTHROPIC_API_KEY or OPENAI_API_KEY
           (+ OPENAI_BASE_URL), or add a tenant key: PUT /api/v1/chat/providers/{anthropic|openai}."
}
if [ -n "${ANTHROPIC_API_KEY:-}${ANTHROPIC_BASE_URL:-}${OPENAI_API_KEY:-}${OPENAI_BASE_URL:-}" ]; then
  llm_note="Chat:      LLM provider chain ${CHAT_PROVIDER_CHAIN:-anthropic,openai} from your environment"
else
  case "${PARLEY_LLM:-local}" in
    local) use_local_model ;;
    simulator) use_simulator ;;
    none) ;;
    *)
      echo "PARLEY_LLM must be local, simulator or none, got '${PARLEY_LLM}'"
      exit 64
      ;;
  esac
fi
# The tenant service migrates the control plane and creates the default tenant: start it first.
services=(tenant:8002 gateway:8000 auth:8001 billing:8003 chat-orchestrator:8004 stt:8005 analytics:8006)
for entry in "${services[@]}"; do
  name=${entry%%:*} port=${entry##*:}
  # auth sits behind the gateway: trust one proxy hop for the client address (lockout per IP).
  if [ "$name" = auth ]; then
    TRUST_PROXY_HOPS=1 launch "$name" node "services/$name/dist/main.js"
  else
    launch "$name" node "services/$name/dist/main.js"
  fi
  echo "  $name starting on :$port (log: $logs/$name.log)"
  if [ "$name" = tenant ]; then wait_ready tenant 8002; fi
done
for entry in "${services[@]}"; do wait_ready "${entry%%:*}" "${entry##*:}"; done

cat <<MSG

Parley is running.
  Gateway:   http://localhost:8000   (API: /api/v1, docs: /api/docs, health: /api/v1/health, metrics: /metrics)
  Services:  auth :8001, tenant :8002, billing :8003, chat-orchestrator :8004, stt :8005, analytics :8006
  Mail:      $logs/smtp-sink.log (local SMTP sink: invites, password resets)
  Logs:      $logs/<service>.log (JSON)
$llm_note
  Restarts:  a service that exits is restarted with backoff ($logs/supervisor.log)
Stop with Ctrl+C.
MSG
wait || true
