#!/usr/bin/env bash
# Speech to text benchmark: word error rate and real-time factor of uploads, first-partial and final
# latency of streaming, and 4 concurrent streams, against the stt service as a process with the real
# faster-whisper engine (`bash bench/stt/run.sh [--threads 1]`). Writes docs/benchmarks/stt.{md,json}.
set -euo pipefail
cd "$(dirname "$0")/../.."
bash scripts/infra.sh up >/dev/null
set -a
# shellcheck disable=SC1091
[ -n "${DATABASE_URL:-}" ] && [ -n "${REDIS_URL:-}" ] && [ -n "${KAFKA_BROKERS:-}" ] || . .cache/infra/env
set +a
bash scripts/build.sh >/dev/null
bash scripts/stt-engine.sh install >/dev/null
audio=$(bash bench/stt/make-audio.sh)
bash scripts/stt-engine.sh paths | node bench/stt/dist/run.js --audio "$audio" "$@"
