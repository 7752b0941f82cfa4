#!/usr/bin/env bash
# Compiles the given projects (e.g. services/gateway libs/contracts) with swc, in place, without
# wiping dist first: safe while other processes run from the other projects' dist folders.
set -euo pipefail
cd "$(dirname "$0")/.."
swc=node_modules/.bin/swc
[ $# -gt 0 ] || { echo "usage: scripts/build-one.sh <project dir>..." >&2; exit 64; }
for dir in "$@"; do
  dir=${dir%/}
  [ -d "$dir/src" ] || { echo "build-one: $dir has no src/" >&2; exit 64; }
  (cd "$dir" && "../../$swc" src -d dist --strip-leading-paths --config-file ../../.swcrc --quiet \
    --ignore '**/*.spec.ts,**/*.int-spec.ts')
done
echo "build-one: ok ($*)"
