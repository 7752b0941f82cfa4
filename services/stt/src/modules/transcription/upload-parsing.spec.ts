import { describe, expect, it } from 'vitest';
import type { Transcription } from '@parley/contracts';
import { sniffAudioFormat } from './audio-format';
import { parseMultipart } from './multipart-form';
import { renderTranscription, timestamp } from './transcript-formats';

const head = (...parts: (string | number[])[]) =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p))));

describe('sniffAudioFormat (magic bytes only)', () => {
  it.each([
    ['wav', head('RIFF', [0, 0, 0, 0], 'WAVE')],
    ['ogg', head('OggS', [0, 2])],
    ['flac', head('fLaC')],
    ['webm', head([0x1a, 0x45, 0xdf, 0xa3])],
    ['m4a', head([0, 0, 0, 0x20], 'ftypM4A ')],
    ['mp3', head('ID3', [4, 0])],
    ['mp3', head([0xff, 0xfb, 0x90, 0x64])],
  ])('recognises %s', (format, bytes) => {
    expect(sniffAudioFormat(bytes)).toBe(format);
  });

  it('refuses text, a RIFF that is not WAVE, a bad MPEG frame header and too few bytes', () => {
    expect(sniffAudioFormat(Buffer.from('this is not audio'))).toBeNull();
    expect(sniffAudioFormat(head('RIFF', [0, 0, 0, 0], 'AVI '))).toBeNull();
    expect(sniffAudioFormat(head([0xff, 0xfb, 0xf0, 0x64]))).toBeNull(); // bitrate index 15 is invalid
    expect(sniffAudioFormat(Buffer.from('RI'))).toBeNull();
  });
});

describe('parseMultipart', () => {
  const type = 'multipart/form-data; boundary=XyZ';
  const body = (...parts: string[]) => Buffer.from(`${parts.map((p) => `--XyZ\r\n${p}\r\n`).join('')}--XyZ--\r\n`);

  it('reads the text fields and the one file part', () => {
    const form = parseMultipart(
      body(
        'Content-Disposition: form-data; name="language"\r\n\r\nen',
        'Content-Disposition: form-data; name="file"; filename="a.wav"\r\nContent-Type: audio/wav\r\n\r\nRIFF....',
      ),
      type,
    );
    expect(form.fields).toEqual({ language: 'en' });
    expect(form.file).toMatchObject({ filename: 'a.wav', contentType: 'audio/wav' });
    expect(form.file?.data.toString()).toBe('RIFF....');
  });

  it('refuses another content type, two files, a repeated field, a file under another name and a cut body', () => {
    const file = 'Content-Disposition: form-data; name="file"; filename="a"\r\n\r\nx';
    expect(() => parseMultipart(Buffer.from('x'), 'audio/wav')).toThrow(/multipart/);
    expect(() => parseMultipart(body(file, file), type)).toThrow(/more than one file/);
    const field = 'Content-Disposition: form-data; name="language"\r\n\r\nen';
    expect(() => parseMultipart(body(field, field), type)).toThrow(/twice/);
    expect(() =>
      parseMultipart(body('Content-Disposition: form-data; name="audio"; filename="a"\r\n\r\nx'), type),
    ).toThrow(/unexpected file part/);
    expect(() =>
      parseMultipart(Buffer.from('--XyZ\r\nContent-Disposition: form-data; name="a"\r\n\r\nnever ends'), type),
    ).toThrow(/ends inside a part/);
  });
});

describe('renderTranscription', () => {
  const transcription: Transcription = {
    task: 'transcribe',
    text: 'Hello there. General Kenobi.',
    language: 'en',
    duration: 3.5,
    segments: [
      { id: 0, start: 0, end: 1.2, text: 'Hello there.' },
      { id: 1, start: 1.5, end: 3.25, text: 'General Kenobi.' },
    ],
    usageId: '6f1d3c2a-1b2c-4d5e-8f90-123456789abc',
  };

  it('writes SRT and WebVTT cues with their timestamps', () => {
    expect(renderTranscription(transcription, 'srt').body).toBe(
      '1\n00:00:00,000 --> 00:00:01,200\nHello there.\n\n2\n00:00:01,500 --> 00:00:03,250\nGeneral Kenobi.\n',
    );
    expect(renderTranscription(transcription, 'vtt').body).toBe(
      'WEBVTT\n\n00:00:00.000 --> 00:00:01.200\nHello there.\n\n00:00:01.500 --> 00:00:03.250\nGeneral Kenobi.\n',
    );
    expect(timestamp(3723.4567, ',')).toBe('01:02:03,457');
  });

  it('writes json as {text} only, text as the plain text, verbose_json as everything', () => {
    expect(JSON.parse(renderTranscription(transcription, 'json').body)).toEqual({ text: transcription.text });
    expect(renderTranscription(transcription, 'text')).toEqual({
      contentType: 'text/plain; charset=utf-8',
      body: 'Hello there. General Kenobi.\n',
    });
    expect(JSON.parse(renderTranscription(transcription, 'verbose_json').body)).toEqual(transcription);
  });
});
