#!/usr/bin/env bash
# The local demo model's speed and memory behind its OpenAI-compatible endpoint (no platform):
# `bash bench/local-model/run.sh [--runs 5] [--max-tokens 64]`. Writes docs/benchmarks/local-model.{md,json}.
set -euo pipefail
cd "$(dirname "$0")/../.."
bash scripts/build.sh >/dev/null
model=$(bash scripts/local-model/fetch-model.sh)
exec node bench/local-model/dist/run.js --model "$model" "$@"
