import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';

/**
 * Audio frames in, 16 kHz mono s16le out. `pcm16` passes through; `webm/opus` (a browser's
 * MediaRecorder stream) is decoded by an ffmpeg process as it arrives.
 */
export interface PcmSource {
  write(frame: Buffer): void;
  /** No more input: the rest of the decoded audio is delivered, then `onEnd`. */
  end(): void;
  close(): void;
}

export function pcmSource(
  format: 'pcm16' | 'webm/opus',
  onPcm: (pcm: Buffer) => void,
  onEnd: () => void,
  onError: (message: string) => void,
): PcmSource {
  if (format === 'pcm16') {
    let carry: Buffer = Buffer.alloc(0);
    return {
      write: (frame) => {
        const data = carry.length ? Buffer.concat([carry, frame]) : frame;
        const even = data.length - (data.length % 2);
        carry = data.subarray(even);
        if (even) onPcm(data.subarray(0, even));
      },
      end: () => onEnd(),
      close: () => undefined,
    };
  }
  const ffmpeg: ChildProcessWithoutNullStreams = spawn(
    'ffmpeg',
    [
      '-nostdin',
      '-hide_banner',
      '-loglevel',
      'error',
      '-i',
      'pipe:0',
      '-vn',
      '-ac',
      '1',
      '-ar',
      '16000',
      '-f',
      's16le',
      'pipe:1',
    ],
    { stdio: ['pipe', 'pipe', 'pipe'] },
  );
  let stderr = '';
  let closed = false;
  ffmpeg.stdout.on('data', (chunk: Buffer) => onPcm(chunk));
  ffmpeg.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-500)));
  ffmpeg.stdin.on('error', () => undefined);
  ffmpeg.once('error', (error) => onError(`ffmpeg could not run: ${error.message}`));
  ffmpeg.once('close', (code) => {
    if (closed) return;
    if (code === 0) onEnd();
    else onError(`the webm/opus stream could not be decoded: ${stderr.trim().split('\n').pop() ?? `exit ${code}`}`);
  });
  return {
    write: (frame) => {
      if (!ffmpeg.stdin.destroyed) ffmpeg.stdin.write(frame);
    },
    end: () => ffmpeg.stdin.end(),
    close: () => {
      closed = true;
      ffmpeg.kill('SIGKILL');
    },
  };
}
