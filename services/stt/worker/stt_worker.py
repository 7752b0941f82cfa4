"""Parley's speech-to-text worker: faster-whisper behind a line protocol on stdin/stdout.

Started and supervised by the stt service (services/stt/src/modules/engine/worker-process.ts). The
models are loaded once, at start; then each line on stdin is one JSON request and each line on
stdout one JSON answer with the same id. Audio travels as base64 of 16 kHz mono signed 16-bit
little-endian PCM (the service decodes every upload with ffmpeg first). Logs go to stderr.

  -> {"id": 1, "op": "transcribe", "model": "base"|"tiny", "pcm": "<base64>", "language": "en"|null,
      "beam": 5}
  <- {"id": 1, "ok": true, "text": "...", "language": "en", "duration": 2.1,
      "segments": [{"start": 0.0, "end": 2.1, "text": "..."}]}
  <- {"id": 1, "ok": false, "error": "..."}
The first line the worker writes is {"ready": true, "engine": ..., "models": {...}} (or it exits 1).
"""

import base64
import json
import os
import sys
import time

import numpy as np


def log(message):
    sys.stderr.write(f"stt-worker: {message}\n")
    sys.stderr.flush()


def main():
    threads = int(os.environ.get("STT_CPU_THREADS", "1"))
    dirs = {"base": os.environ["STT_MODEL_DIR"]}
    if os.environ.get("STT_PARTIAL_MODEL_DIR"):
        dirs["tiny"] = os.environ["STT_PARTIAL_MODEL_DIR"]
    import ctranslate2
    import faster_whisper
    from faster_whisper import WhisperModel

    started = time.monotonic()
    models = {
        name: WhisperModel(path, device="cpu", compute_type="int8", cpu_threads=threads, num_workers=1)
        for name, path in dirs.items()
    }
    out = sys.stdout
    out.write(
        json.dumps(
            {
                "ready": True,
                "engine": "faster-whisper",
                "version": faster_whisper.__version__,
                "ctranslate2": ctranslate2.__version__,
                "models": {name: {"path": path, "multilingual": models[name].model.is_multilingual} for name, path in dirs.items()},
                "cpuThreads": threads,
                "loadSeconds": round(time.monotonic() - started, 2),
                "pid": os.getpid(),
            }
        )
        + "\n"
    )
    out.flush()
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        request_id = None
        try:
            request = json.loads(line)
            request_id = request.get("id")
            answer = handle(models, request)
        except Exception as error:  # one bad request must not end the worker
            answer = {"ok": False, "error": f"{type(error).__name__}: {error}"}
        answer["id"] = request_id
        out.write(json.dumps(answer) + "\n")
        out.flush()


def handle(models, request):
    op = request.get("op")
    if op == "ping":
        return {"ok": True}
    if op != "transcribe":
        return {"ok": False, "error": f"unknown op {op!r}"}
    model = models.get(request.get("model", "base"))
    if model is None:
        return {"ok": False, "error": f"model {request.get('model')!r} is not loaded"}
    pcm = np.frombuffer(base64.b64decode(request["pcm"]), dtype="<i2").astype(np.float32) / 32768.0
    duration = len(pcm) / 16000.0
    language = request.get("language") or None
    if language and not model.model.is_multilingual and language != "en":
        return {"ok": False, "error": f"the model is English only, not {language}"}
    segments, info = model.transcribe(
        pcm,
        language=language,
        beam_size=int(request.get("beam", 5)),
        condition_on_previous_text=False,
        without_timestamps=bool(request.get("withoutTimestamps", False)),
        vad_filter=False,
    )
    parts = [{"start": round(s.start, 2), "end": round(s.end, 2), "text": s.text.strip()} for s in segments]
    return {
        "ok": True,
        "text": " ".join(p["text"] for p in parts if p["text"]).strip(),
        "language": info.language,
        "duration": round(duration, 3),
        "segments": parts,
    }


if __name__ == "__main__":
    main()
