#!/usr/bin/env bash
# Writes screenshots of the web app's main pages (sign-in, chat, skills, admin), light and dark, English and
# Chinese, plus 360 px wide, to docs/screenshots/: runs the browser end-to-end test against the real
# platform with PARLEY_SCREENSHOTS=1 (infrastructure as for `npm test`).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/infra.sh up >/dev/null
set -a
# shellcheck disable=SC1091
[ -n "${DATABASE_URL:-}" ] && [ -n "${REDIS_URL:-}" ] && [ -n "${KAFKA_BROKERS:-}" ] || . .cache/infra/env
set +a
bash scripts/build.sh
PARLEY_SCREENSHOTS=1 npx vitest run --project integration tests/e2e/web-app.int-spec.ts tests/e2e/web-chat-features.int-spec.ts \
  tests/e2e/web-sso.int-spec.ts tests/e2e/web-sso-console.int-spec.ts
ls docs/screenshots
