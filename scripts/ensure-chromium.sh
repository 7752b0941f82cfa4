#!/usr/bin/env bash
# Makes sure Debian's Chromium is installed for the browser tests (playwright-core drives it; its
# own browser download cannot work offline), with a small CJK font so Chinese pages render (and
# screenshot) as text. Idempotent: does nothing when both are there.
# Prints the executable path. Needs root (or sudo) the first time.
set -euo pipefail
bin=${CHROMIUM_PATH:-/usr/bin/chromium}
if [ ! -x "$bin" ] || [ ! -e /usr/share/fonts/truetype/wqy/wqy-microhei.ttc ]; then
  as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo -n "$@"; fi; }
  # A lock so two test files (or two engineers) do not run apt at once.
  exec 9>/tmp/parley-chromium-install.lock
  flock 9
  if [ ! -x "$bin" ] || [ ! -e /usr/share/fonts/truetype/wqy/wqy-microhei.ttc ]; then
    echo "ensure-chromium: installing Debian's chromium and fonts-wqy-microhei (first use)" >&2
    install() { as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium fonts-wqy-microhei >&2; }
    install || { as_root apt-get update >&2 && install; }
  fi
fi
echo "$bin"
