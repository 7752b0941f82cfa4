#!/usr/bin/env bash
# Compiles every lib and service with swc (type checking is `npm run typecheck`), and bundles the web
# app with Vite into services/web/dist (the gateway serves it at `/`).
set -euo pipefail
cd "$(dirname "$0")/.."
swc=node_modules/.bin/swc
for dir in libs/* services/* bench/*; do
  [ -d "$dir/src" ] || continue
  [ "$dir" = services/web ] && continue
  rm -rf "$dir/dist"
  swcrc=../../.swcrc # a project may have its own (libs/local-llm keeps dynamic import() as is)
  [ -f "$dir/.swcrc" ] && swcrc=.swcrc
  (cd "$dir" && "../../$swc" src -d dist --strip-leading-paths --config-file "$swcrc" --quiet \
    --ignore '**/*.spec.ts,**/*.int-spec.ts') &
done
(cd services/web && ../../node_modules/.bin/vite build --logLevel warn) &
web=$!
wait "$web" || { echo "build: the web app (vite build) failed" >&2; exit 1; }
wait
echo "build: ok ($(ls -d libs/*/dist services/*/dist bench/*/dist 2>/dev/null | wc -l) projects)"
