#!/usr/bin/env bash
# Keycloak for Parley's single sign-on tests and local development, on 127.0.0.1 only.
#
#   bash scripts/keycloak.sh install        # the zip (Maven Central), unpacked and built, in the machine cache
#   bash scripts/keycloak.sh up [RUN_DIR]   # start one instance (state in RUN_DIR), print KEYCLOAK_URL=…
#   bash scripts/keycloak.sh down [RUN_DIR] # stop the instance of RUN_DIR
#   bash scripts/keycloak.sh home           # print the path of the built distribution
#
# The distribution is unpacked once into ~/.cache/parley/keycloak-<version> (KEYCLOAK_CACHE_DIR) and
# built once for `start-dev --db=dev-mem --health-enabled=true` (Quarkus augmentation, ~25 s), so a
# fresh clone or worktree reuses it. Each instance gets a run folder of its own: a copy of bin/,
# links to the shared lib/, conf/, providers/ and themes/, and its own data/ (transaction logs); the
# database is in memory, so an instance starts empty and forgets everything when it stops.
# Ports: KEYCLOAK_PORT (default: a free one) and a free management port (health).
# Tests start it through libs/testing (keycloak-server.ts): once per test run, stopped at teardown.
set -euo pipefail

ROOT="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd -P)"
KEYCLOAK_VERSION=26.7.3
CACHE="${KEYCLOAK_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/parley}"
DOWNLOADS="${INFRA_DOWNLOADS_DIR:-$CACHE/downloads}"
ZIP="$DOWNLOADS/keycloak-quarkus-dist-$KEYCLOAK_VERSION.zip"
HOME_DIR="$CACHE/keycloak-$KEYCLOAK_VERSION"
# Build-time options: every start must use the same ones, or Keycloak rebuilds (~25 s) in place.
BUILD_OPTS=(--db=dev-mem --health-enabled=true)
READY_WAIT="${KEYCLOAK_READY_WAIT:-180}"
INSTALL_TIMEOUT="${KEYCLOAK_INSTALL_TIMEOUT:-900}"

SERVER_NAME=keycloak
# shellcheck source=lib/test-server.sh
. "$ROOT/scripts/lib/test-server.sh"

fetch_zip() {
  [[ -s $ZIP ]] && return 0
  command -v mvn >/dev/null || die "mvn is needed to fetch $ZIP (apt-get install maven)"
  note "downloading org.keycloak:keycloak-quarkus-dist:$KEYCLOAK_VERSION:zip from Maven Central (177 MB)"
  mkdir -p "$DOWNLOADS"
  timeout "$INSTALL_TIMEOUT" mvn -q -B dependency:copy \
    -Dartifact="org.keycloak:keycloak-quarkus-dist:$KEYCLOAK_VERSION:zip" -DoutputDirectory="$DOWNLOADS" ||
    die "mvn dependency:copy failed"
  [[ -s $ZIP ]] || die "mvn did not leave $ZIP"
}

install() {
  [[ -f $HOME_DIR/.built ]] && { printf '%s\n' "$HOME_DIR"; return 0; }
  mkdir -p "$CACHE"
  # One installer at a time (parallel test workers, several worktrees); the others wait, then reuse.
  exec 9>"$CACHE/keycloak-$KEYCLOAK_VERSION.lock"
  flock -w "$INSTALL_TIMEOUT" 9 || die "timed out waiting for another install"
  if [[ ! -f $HOME_DIR/.built ]]; then
    command -v java >/dev/null || die "a JDK 17+ is needed (apt-get install openjdk-17-jre-headless)"
    fetch_zip
    local tmp="$CACHE/.keycloak-$KEYCLOAK_VERSION.tmp" start=$SECONDS
    rm -rf "$tmp" "$HOME_DIR"
    mkdir -p "$tmp"
    unzip -q "$ZIP" -d "$tmp"
    mv "$tmp/keycloak-$KEYCLOAK_VERSION" "$HOME_DIR"
    rm -rf "$tmp"
    # `kc.sh build` refuses dev mode: the first `start-dev` builds (Quarkus augmentation) and keeps
    # the result in lib/quarkus, so one start to ready, then stop, leaves a built distribution.
    note "building the distribution for dev mode (once per machine, ~50 s)"
    touch "$HOME_DIR/.installing"
    BUILD_RUN=1 up "$CACHE/.keycloak-build-run" >/dev/null || die "the build start failed"
    down "$CACHE/.keycloak-build-run"
    grep -q 'augmentation completed' "$CACHE/.keycloak-build-run/keycloak.log" ||
      die "no build step in $CACHE/.keycloak-build-run/keycloak.log"
    rm -rf "$CACHE/.keycloak-build-run" "$HOME_DIR/.installing"
    touch "$HOME_DIR/.built"
    note "installed in $HOME_DIR in $((SECONDS - start)) s"
  fi
  flock -u 9
  printf '%s\n' "$HOME_DIR"
}

up() {
  local run="${1:-$ROOT/.cache/keycloak}" port mport pid
  [[ -n ${BUILD_RUN:-} ]] || install >/dev/null
  [[ $run == /* ]] || run="$PWD/$run"
  mkdir -p "$run"
  lock_run "$run" "$READY_WAIT" && return 0
  rm -rf "$run/kc"
  mkdir -p "$run/kc/data"
  cp -r "$HOME_DIR/bin" "$run/kc/bin"
  for part in lib conf providers themes; do ln -s "$HOME_DIR/$part" "$run/kc/$part"; done
  port="${KEYCLOAK_PORT:-$(free_port)}"
  mport="$(free_port)"
  local password="${KEYCLOAK_ADMIN_PASSWORD:-admin-$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')}"
  local start=$SECONDS
  (
    cd "$run"
    # setsid: its own process group, so `down` stops the JVM and the shell around it together.
    KC_BOOTSTRAP_ADMIN_USERNAME=admin KC_BOOTSTRAP_ADMIN_PASSWORD="$password" \
      JAVA_OPTS_KC_HEAP="-Xms64m -Xmx768m" \
      exec setsid "$run/kc/bin/kc.sh" start-dev "${BUILD_OPTS[@]}" --http-host=127.0.0.1 --http-port="$port" \
      --http-management-port="$mport" --hostname-strict=false >"$run/keycloak.log" 2>&1 </dev/null 8>&- 9>&-
  ) &
  pid=$!
  printf '%s\n' "$pid" >"$run/pid"
  wait_ready "$run" "$pid" "$READY_WAIT" "$run/keycloak.log" "http://127.0.0.1:$mport/health/ready"
  [[ -z ${BUILD_RUN:-} ]] && grep -q "Updating the configuration" "$run/keycloak.log" && note "warning: Keycloak rebuilt at start (options differ from the build)"
  {
    printf 'KEYCLOAK_URL=http://127.0.0.1:%s\n' "$port"
    printf 'KEYCLOAK_ADMIN_USER=admin\n'
    printf 'KEYCLOAK_ADMIN_PASSWORD=%s\n' "$password"
    printf 'KEYCLOAK_PID=%s\n' "$pid"
    printf 'KEYCLOAK_READY_SECONDS=%s\n' "$((SECONDS - start))"
  } >"$run/env.tmp"
  mv "$run/env.tmp" "$run/env"
  cat "$run/env"
}

down() {
  local run="${1:-$ROOT/.cache/keycloak}"
  [[ $run == /* ]] || run="$PWD/$run"
  stop_run "$run"
}

case "${1:-}" in
  install) install ;;
  home) printf '%s\n' "$HOME_DIR" ;;
  up) up "${2:-}" ;;
  down) down "${2:-}" ;;
  *) die "usage: scripts/keycloak.sh install|home|up [RUN_DIR]|down [RUN_DIR]" ;;
esac
