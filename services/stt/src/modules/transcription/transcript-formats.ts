import type { SttResponseFormat, Transcription } from '@parley/contracts';

/** A transcription in one of the OpenAI response formats: the body and its content type. */
export function renderTranscription(
  transcription: Transcription,
  format: SttResponseFormat,
): { contentType: string; body: string } {
  switch (format) {
    case 'json':
      return { contentType: 'application/json; charset=utf-8', body: JSON.stringify({ text: transcription.text }) };
    case 'verbose_json':
      return { contentType: 'application/json; charset=utf-8', body: JSON.stringify(transcription) };
    case 'text':
      return { contentType: 'text/plain; charset=utf-8', body: `${transcription.text}\n` };
    case 'srt':
      return { contentType: 'application/x-subrip; charset=utf-8', body: cues(transcription, ',', true) };
    case 'vtt':
      return { contentType: 'text/vtt; charset=utf-8', body: `WEBVTT\n\n${cues(transcription, '.', false)}` };
  }
}

function cues(transcription: Transcription, separator: string, numbered: boolean): string {
  return transcription.segments
    .map((segment, index) => {
      const timing = `${timestamp(segment.start, separator)} --> ${timestamp(segment.end, separator)}`;
      return `${numbered ? `${index + 1}\n` : ''}${timing}\n${segment.text}\n`;
    })
    .join('\n');
}

/** `00:01:02,345` (SRT) or `00:01:02.345` (WebVTT). */
export function timestamp(seconds: number, separator: string): string {
  const ms = Math.round(seconds * 1000);
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = Math.floor((ms % 60_000) / 1000);
  return `${pad(h)}:${pad(m)}:${pad(s)}${separator}${pad(ms % 1000, 3)}`;
}
