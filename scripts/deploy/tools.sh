#!/usr/bin/env bash
# Installs (once, into the git-ignored .cache/tools/) the tools the deployment checks use, and prints
# where they are, one `name=path` per line:
#   helm         pinned helm built from the Go module proxy (scripts/helm.sh)
#   kubeschemas  strict JSON schemas of the Kubernetes API of a pinned version (additionalProperties
#                false everywhere), taken from the kubernetes-validate wheel on PyPI, checksum-pinned
#   crdcheck     tests/deploy/crdcheck built with Go: strict decoding of Prometheus Operator objects
#                into the operator's Go API types, and PromQL parsing of alerts and dashboards
#   dockerlint   tests/deploy/dockerlint built with Go: BuildKit's Dockerfile checks (`docker build
#                --check`) without a Docker engine
# Safe to run concurrently (test workers): each install holds a lock.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)"
CACHE="$ROOT/.cache/tools"
mkdir -p "$CACHE"

KUBE_VERSION=1.37.0
KUBE_VALIDATE_VERSION=1.37.0
KUBE_VALIDATE_WHEEL="kubernetes_validate-$KUBE_VALIDATE_VERSION-py3-none-any.whl"
KUBE_VALIDATE_SHA256=85136d018a27b50ec7fc049d902bfa5193f5976807e6c0f408e3ab6fe078cad9
SCHEMAS="$CACHE/kube-schemas/v$KUBE_VERSION-local-strict"

log() { printf 'scripts/deploy/tools.sh: %s\n' "$*" >&2; }

find_go() {
  if command -v go >/dev/null 2>&1; then command -v go; return; fi
  if [[ -x /usr/local/go/bin/go ]]; then echo /usr/local/go/bin/go; return; fi
  log "Go is required (https://go.dev/dl)"; exit 1
}

install_schemas() {
  [[ -f $SCHEMAS/_definitions.json ]] && return
  local tmp python
  python="$(command -v python3 || true)"
  [[ -n $python ]] || { log "python3 (with pip) is required to fetch the Kubernetes schemas"; exit 1; }
  tmp="$(mktemp -d)"
  log "fetching Kubernetes $KUBE_VERSION JSON schemas (kubernetes-validate $KUBE_VALIDATE_VERSION from PyPI)"
  "$python" -m pip download --quiet --no-deps --only-binary=:all: --dest "$tmp" \
    "kubernetes-validate==$KUBE_VALIDATE_VERSION" >&2
  echo "$KUBE_VALIDATE_SHA256  $tmp/$KUBE_VALIDATE_WHEEL" | sha256sum --check --quiet - ||
    { log "checksum mismatch for $KUBE_VALIDATE_WHEEL"; rm -rf "$tmp"; exit 1; }
  # Unpack only the strict schemas of the pinned version (the wheel holds many versions).
  "$python" - "$tmp/$KUBE_VALIDATE_WHEEL" "kubernetes_validate/kubernetes-json-schema/v$KUBE_VERSION-local-strict/" "$SCHEMAS.tmp" <<'PY'
import os, sys, zipfile
wheel, prefix, dest = sys.argv[1:]
with zipfile.ZipFile(wheel) as z:
    names = [n for n in z.namelist() if n.startswith(prefix) and n.endswith(".json")]
    if not names:
        sys.exit(f"no schemas under {prefix} in {wheel}")
    os.makedirs(dest, exist_ok=True)
    for n in names:
        with open(os.path.join(dest, os.path.basename(n)), "wb") as f:
            f.write(z.read(n))
PY
  rm -rf "$SCHEMAS" && mv "$SCHEMAS.tmp" "$SCHEMAS" && rm -rf "$tmp"
}

# Builds a Go command of tests/deploy/<name> into .cache/tools/<name>, again only when its sources change.
install_go_tool() {
  local name=$1 src="$ROOT/tests/deploy/$1" bin="$CACHE/$1" stamp="$CACHE/$1.stamp" sum go
  sum="$(cat "$src/go.mod" "$src/go.sum" "$src"/*.go | sha256sum | cut -d' ' -f1)"
  [[ -x $bin && -f $stamp && "$(cat "$stamp")" == "$sum" ]] && return
  go="$(find_go)"
  log "building $name (tests/deploy/$name)"
  (cd "$src" && env GOFLAGS="-mod=mod -modcacherw" GOPATH="$CACHE/go" GOMODCACHE="$CACHE/go/pkg/mod" \
    GOCACHE="$CACHE/gocache" GOTOOLCHAIN=local CGO_ENABLED=0 "$go" build -trimpath -o "$bin" .) >&2
  echo "$sum" >"$stamp"
}

exec 9>"$CACHE/.tools.lock"
flock 9
helm="$(bash "$ROOT/scripts/helm.sh" --install-only)"
install_schemas
install_go_tool crdcheck
install_go_tool dockerlint
flock -u 9

echo "helm=$helm"
echo "kubeschemas=$SCHEMAS"
echo "kubeversion=$KUBE_VERSION"
echo "crdcheck=$CACHE/crdcheck"
echo "dockerlint=$CACHE/dockerlint"
