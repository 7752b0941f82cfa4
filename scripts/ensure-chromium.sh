#!/usr/bin/env bash
# Makes sure Debian's Chromium is installed for the browser tests (playwright-core drives it; its
# own browser download cannot work offline), with a small CJK font so Chinese pages render (and
# screenshot) as text. Idempotent: does nothing when both are there.
# Prints the executable path. Needs root (or sudo) the first time.
set -euo pipefail
here=$(dirname "$0")
bash "$here/ensure-debian-packages.sh" /usr/share/fonts/truetype/wqy/wqy-microhei.ttc fonts-wqy-microhei >/dev/null
bash "$here/ensure-debian-packages.sh" "${CHROMIUM_PATH:-/usr/bin/chromium}" chromium
