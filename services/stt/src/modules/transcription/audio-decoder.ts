import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DomainException, ErrorCode } from '@parley/contracts';

/** 16 kHz mono signed 16-bit: what the engine takes. */
export const PCM_BYTES_PER_SECOND = 16_000 * 2;
const FFMPEG_TIMEOUT_MS = 60_000;

/** The longest audio an upload may be, and which bound it is (in the 413's `details.limit`). */
export interface DurationLimit {
  seconds: number;
  source: 'plan' | 'service' | 'quota';
  /** For the message: `the plan's limit`. */
  why: string;
}

/** The tightest of the service's cap, the plan's longest audio and the minutes left this month. */
export function durationLimit(serviceSeconds: number, planSeconds: number, remainingSeconds: number): DurationLimit {
  const candidates: DurationLimit[] = [
    { seconds: planSeconds, source: 'plan', why: "the plan's limit for one transcription" },
    { seconds: Math.ceil(remainingSeconds), source: 'quota', why: "the plan's speech minutes left this month" },
    { seconds: serviceSeconds, source: 'service', why: "the server's limit for one transcription" },
  ];
  return candidates.reduce((tightest, next) => (next.seconds < tightest.seconds ? next : tightest));
}

/**
 * Decodes an upload with ffmpeg into 16 kHz mono s16le PCM, reading at most the limit + 1 s:
 * longer audio is 413 `audio_too_long`, audio ffmpeg cannot decode (or none at all) 400
 * `audio_invalid`. The bytes go through a private temporary file (MP4 needs to seek), deleted at
 * once (the file is kept only by the tenant's audio retention, when it is on).
 */
export async function decodeToPcm(data: Buffer, limit: DurationLimit, ffmpeg = 'ffmpeg'): Promise<Buffer> {
  const dir = await mkdtemp(join(tmpdir(), 'parley-stt-'));
  try {
    const input = join(dir, 'upload');
    await writeFile(input, data, { mode: 0o600 });
    const pcm = await run(ffmpeg, [
      '-nostdin',
      '-hide_banner',
      '-loglevel',
      'error',
      '-i',
      input,
      '-t',
      String(limit.seconds + 1),
      '-vn',
      '-ac',
      '1',
      '-ar',
      '16000',
      '-f',
      's16le',
      'pipe:1',
    ]);
    if (pcm.length < PCM_BYTES_PER_SECOND / 100) {
      throw new DomainException(ErrorCode.AudioInvalid, 'The file holds no audio that could be decoded');
    }
    if (pcm.length / PCM_BYTES_PER_SECOND > limit.seconds) {
      throw new DomainException(ErrorCode.AudioTooLong, `The audio is longer than ${limit.why} (${limit.seconds} s)`, {
        limitSeconds: limit.seconds,
        limit: limit.source,
      });
    }
    return pcm;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function run(command: string, args: string[]): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let err = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), FFMPEG_TIMEOUT_MS);
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => (err = (err + chunk.toString('utf8')).slice(-1000)));
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(new DomainException(ErrorCode.SttEngineUnavailable, `ffmpeg could not run: ${error.message}`));
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      if (code === 0) return resolve(Buffer.concat(out));
      const why =
        err
          .trim()
          .split('\n')
          .pop()
          ?.replace(/\/[^\s:]*upload/g, 'upload') ?? `exit ${code}`;
      reject(new DomainException(ErrorCode.AudioInvalid, `The audio could not be decoded: ${why}`));
    });
  });
}
