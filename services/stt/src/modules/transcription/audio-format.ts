import type { SttUploadFormat } from '@parley/contracts';

/**
 * The container of an upload from its first bytes (never its name or declared type): RIFF/WAVE,
 * MP3 (an ID3 tag or an MPEG audio frame sync), MP4/M4A (`ftyp`), Ogg (`OggS`, Opus or Vorbis),
 * Matroska/WebM (EBML), FLAC (`fLaC`). Null: not an accepted audio format.
 */
export function sniffAudioFormat(head: Buffer): SttUploadFormat | null {
  const ascii = (from: number, to: number) => head.subarray(from, to).toString('latin1');
  if (head.length < 4) return null;
  if (ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WAVE') return 'wav';
  if (ascii(0, 4) === 'OggS') return 'ogg';
  if (ascii(0, 4) === 'fLaC') return 'flac';
  if (head[0] === 0x1a && head[1] === 0x45 && head[2] === 0xdf && head[3] === 0xa3) return 'webm';
  if (ascii(4, 8) === 'ftyp') return 'm4a';
  if (ascii(0, 3) === 'ID3') return 'mp3';
  // MPEG-1/2 layer III frame sync: 11 set bits, a layer of 01, a valid bitrate and sample rate index.
  const b1 = head[1] ?? 0;
  const b2 = head[2] ?? 0;
  if (head[0] === 0xff && (b1 & 0xe0) === 0xe0 && (b1 & 0x06) === 0x02 && b2 >> 4 !== 0x0f && ((b2 >> 2) & 3) !== 3) {
    return 'mp3';
  }
  return null;
}
