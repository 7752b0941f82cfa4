#!/usr/bin/env bash
# Installs a pinned helm into the git-ignored .cache/ (built from the Go module proxy with `go install`,
# so it works wherever Go and the proxy are reachable), then runs it with the given arguments:
#   bash scripts/helm.sh lint helm/parley
#   bash scripts/helm.sh --install-only      # build if needed, print the binary's path
# The first build downloads and compiles helm (about 1.5 minutes on 2 cores); later calls reuse it.
set -euo pipefail

HELM_VERSION="${HELM_VERSION:-v3.22.0}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
CACHE="$ROOT/.cache/tools"
BIN_DIR="$CACHE/helm-$HELM_VERSION/bin"
HELM="$BIN_DIR/helm"
STAMP="$BIN_DIR/.stamp"

log() { printf 'scripts/helm.sh: %s\n' "$*" >&2; }

find_go() {
  if command -v go >/dev/null 2>&1; then command -v go; return; fi
  if [[ -x /usr/local/go/bin/go ]]; then echo /usr/local/go/bin/go; return; fi
  log "Go is required to build helm (https://go.dev/dl): not found on PATH or in /usr/local/go/bin"
  exit 1
}

# Everything Go downloads or compiles stays under .cache/, so a fresh clone only needs `go`.
# GOTOOLCHAIN=local: never fetch another Go toolchain. CGO off: a static binary, no C compiler.
go_env() {
  env GOFLAGS="-mod=mod -modcacherw" GOPATH="$CACHE/go" GOMODCACHE="$CACHE/go/pkg/mod" \
    GOCACHE="$CACHE/gocache" GOTOOLCHAIN=local CGO_ENABLED=0 "$@"
}

build() {
  local go modjson gomod client_go kube_minor ldflags start
  go="$(find_go)"
  start=$(date +%s)
  log "building helm $HELM_VERSION into ${BIN_DIR#"$ROOT"/} (one-time, cached in .cache/)"
  mkdir -p "$BIN_DIR"
  modjson="$(go_env "$go" mod download -json "helm.sh/helm/v3@$HELM_VERSION")"
  gomod="$(sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",\{0,1\}$/\1/p' <<<"$modjson")"
  # Like helm's Makefile: the Kubernetes version helm assumes (.Capabilities.KubeVersion in
  # `helm template`, deprecation checks in `helm lint`) is that of the client-go it is built with.
  client_go="$(awk '$1 == "k8s.io/client-go" { print $2 }' "$gomod")"
  kube_minor="$(cut -d. -f2 <<<"$client_go")"
  [[ $kube_minor =~ ^[0-9]+$ ]] || { log "cannot read the k8s.io/client-go version from $gomod"; exit 1; }
  ldflags="-s -w -X helm.sh/helm/v3/internal/version.version=$HELM_VERSION"
  for pkg in helm.sh/helm/v3/pkg/chartutil helm.sh/helm/v3/pkg/lint/rules; do
    ldflags+=" -X $pkg.k8sVersionMajor=1 -X $pkg.k8sVersionMinor=$kube_minor"
  done
  go_env GOBIN="$BIN_DIR" "$go" install -trimpath -ldflags "$ldflags" "helm.sh/helm/v3/cmd/helm@$HELM_VERSION" >&2
  echo "$HELM_VERSION kube-1.$kube_minor" >"$STAMP"
  log "helm $HELM_VERSION (Kubernetes 1.$kube_minor) built in $(($(date +%s) - start))s"
}

installed() {
  [[ -x $HELM && -f $STAMP ]] && [[ "$(cut -d' ' -f1 "$STAMP")" == "$HELM_VERSION" ]] &&
    [[ "$("$HELM" version --template '{{ .Version }}' 2>/dev/null)" == "$HELM_VERSION" ]]
}

if ! installed; then
  mkdir -p "$CACHE"
  # Serialise concurrent first builds (parallel test workers); the second waits and reuses.
  exec 9>"$CACHE/.helm.lock"
  flock 9
  installed || build
  flock -u 9
fi

if [[ ${1:-} == --install-only ]]; then
  echo "$HELM"
  exit 0
fi
exec "$HELM" "$@"
