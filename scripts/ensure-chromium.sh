#!/usr/bin/env bash
# Makes sure Debian's Chromium is installed for the browser tests (playwright-core drives it; its
# own browser download cannot work offline). Idempotent: does nothing when /usr/bin/chromium exists.
# Prints the executable path. Needs root (or sudo) the first time.
set -euo pipefail
bin=${CHROMIUM_PATH:-/usr/bin/chromium}
if [ ! -x "$bin" ]; then
  as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo -n "$@"; fi; }
  # A lock so two test files (or two engineers) do not run apt at once.
  exec 9>/tmp/parley-chromium-install.lock
  flock 9
  if [ ! -x "$bin" ]; then
    echo "ensure-chromium: installing Debian's chromium (first use)" >&2
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium >&2 ||
      { as_root apt-get update >&2 && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium >&2; }
  fi
fi
echo "$bin"
