import { execFile } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from './infra-env';

const run = promisify(execFile);

/** The engine paths the stt service needs (`STT_PYTHON`, `STT_MODEL_DIR`, `STT_PARTIAL_MODEL_DIR`). */
export type SttEngineEnv = Record<'STT_PYTHON' | 'STT_MODEL_DIR' | 'STT_PARTIAL_MODEL_DIR', string>;

let installed: Promise<SttEngineEnv> | undefined;

/**
 * Installs the offline speech engine once per machine (scripts/stt-engine.sh install: the venv, the
 * Whisper models, ffmpeg, espeak-ng and sox) and returns its paths; instant when already there.
 */
export function sttEngineEnv(): Promise<SttEngineEnv> {
  installed ??= run('bash', [resolve(REPO_ROOT, 'scripts/stt-engine.sh'), 'install'], {
    timeout: 1_500_000,
    maxBuffer: 1 << 20,
  }).then(({ stdout }) => {
    const env = Object.fromEntries(
      stdout
        .trim()
        .split('\n')
        .map((line) => line.split('=', 2) as [string, string]),
    ) as SttEngineEnv;
    if (!env.STT_PYTHON || !env.STT_MODEL_DIR) throw new Error(`stt-engine.sh printed no paths:\n${stdout}`);
    return env;
  });
  return installed;
}

/** The audio formats `Speech` writes, as ffmpeg arguments. */
const FORMATS = {
  wav: ['-c:a', 'pcm_s16le'],
  mp3: ['-c:a', 'libmp3lame', '-b:a', '64k'],
  m4a: ['-c:a', 'aac', '-b:a', '64k'],
  ogg: ['-c:a', 'libopus', '-b:a', '32k'],
  webm: ['-c:a', 'libopus', '-b:a', '32k'],
  flac: ['-c:a', 'flac'],
} as const;
export type SpeechFormat = keyof typeof FORMATS;

/**
 * Real test speech: espeak-ng (en-us, 150 words a minute) made into 16 kHz mono 16-bit WAV by sox,
 * then any accepted container by ffmpeg; in a private temporary folder.
 */
export class Speech {
  private constructor(readonly dir: string) {}

  static async folder(): Promise<Speech> {
    return new Speech(await mkdtemp(join(tmpdir(), 'parley-speech-')));
  }

  /** `text` spoken into `<name>.wav` (16 kHz mono s16); returns its path. */
  async say(name: string, text: string, options: { rate?: number; channels?: number } = {}): Promise<string> {
    const raw = join(this.dir, `${name}.espeak.wav`);
    const out = join(this.dir, `${name}.wav`);
    await run('espeak-ng', ['-v', 'en-us', '-s', '150', '-w', raw, text]);
    await run('sox', [raw, '-r', String(options.rate ?? 16_000), '-c', String(options.channels ?? 1), '-b', '16', out]);
    return out;
  }

  /** A WAV converted to another format; returns its path. */
  async convert(wav: string, format: SpeechFormat, name = `${wav.replace(/\.wav$/, '')}-as`): Promise<string> {
    const out = `${name}.${format}`;
    await run('ffmpeg', ['-nostdin', '-loglevel', 'error', '-y', '-i', wav, ...FORMATS[format], out]);
    return out;
  }

  /** `seconds` of silence as 16 kHz mono WAV (sox). */
  async silence(name: string, seconds: number): Promise<string> {
    const out = join(this.dir, `${name}.wav`);
    await run('sox', ['-n', '-r', '16000', '-c', '1', '-b', '16', out, 'trim', '0', String(seconds)]);
    return out;
  }

  /** Several WAVs one after another (sox). */
  async concat(name: string, parts: string[]): Promise<string> {
    const out = join(this.dir, `${name}.wav`);
    await run('sox', [...parts, out]);
    return out;
  }
}
