#!/usr/bin/env bash
# ensure-debian-packages.sh FILE PACKAGE... : makes sure FILE (a binary, a font) exists, installing the Debian
# packages that provide it the first time (the test infrastructure's servers and tools: dnsmasq,
# slapd, chromium, ...). Idempotent and serialised by a lock so two test files (or two engineers)
# never run apt at once. Prints the binary's path. Needs root (or passwordless sudo) the first time.
# DEBCONF_PRESEED: debconf selections to set first (slapd: "slapd slapd/no_configuration boolean true",
# so the package installs without creating a directory of its own; tests run their own slapd).
set -euo pipefail
bin=$1
shift
if [ ! -e "$bin" ]; then
  as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo -n "$@"; fi; }
  exec 9>/tmp/parley-apt-install.lock
  flock 9
  if [ ! -e "$bin" ]; then
    echo "ensure-debian-packages: installing $* (first use)" >&2
    if [ -n "${DEBCONF_PRESEED:-}" ]; then echo "$DEBCONF_PRESEED" | as_root debconf-set-selections; fi
    install() { as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$@" >&2; }
    install "$@" || { as_root apt-get update >&2 && install "$@"; }
  fi
fi
echo "$bin"
