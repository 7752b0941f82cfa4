import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DomainException, ErrorCode } from '@parley/contracts';

/** 16 kHz mono signed 16-bit: what the engine takes. */
export const PCM_BYTES_PER_SECOND = 16_000 * 2;
const FFMPEG_TIMEOUT_MS = 60_000;

/**
 * Decodes an upload with ffmpeg into 16 kHz mono s16le PCM, reading at most `limitSeconds` + 1 s:
 * longer audio is 413 `audio_too_long`, audio ffmpeg cannot decode (or none at all) 400
 * `audio_invalid`. The bytes go through a private temporary file (MP4 needs to seek), deleted at
 * once: audio is never kept.
 */
export async function decodeToPcm(data: Buffer, limitSeconds: number, ffmpeg = 'ffmpeg'): Promise<Buffer> {
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
      String(limitSeconds + 1),
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
    if (pcm.length / PCM_BYTES_PER_SECOND > limitSeconds) {
      throw new DomainException(ErrorCode.AudioTooLong, `The audio is longer than ${limitSeconds} s`, {
        limitSeconds,
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
