#!/usr/bin/env bash
# The benchmark's speech: each line of bench/stt/sentences.txt spoken by espeak-ng (en-us, 150 words a
# minute) and made 16 kHz mono 16-bit WAV by sox: <out>/NN.wav. Idempotent (an existing file is kept).
#   bash bench/stt/make-audio.sh [OUT_DIR]   (default .cache/bench-stt)
set -euo pipefail
cd "$(dirname "$0")/../.."
out=${1:-.cache/bench-stt}
mkdir -p "$out"
n=0
while IFS= read -r line; do
  [ -n "$line" ] || continue
  n=$((n + 1))
  file=$(printf '%s/%02d.wav' "$out" "$n")
  [ -s "$file" ] && continue
  espeak-ng -v en-us -s 150 -w "$out/raw.wav" "$line"
  sox "$out/raw.wav" -r 16000 -c 1 -b 16 "$file"
done <bench/stt/sentences.txt
rm -f "$out/raw.wav"
echo "$out"
