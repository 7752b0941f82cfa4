import { describe, expect, it } from 'vitest';
import { languageCode } from './language-code';
import { pcmToWav } from './pcm-wav';
import { upstreamMessage } from './upstream-errors';

describe('the OpenAI-compatible wire helpers', () => {
  it('turns the language OpenAI names into its code, keeps a code, falls back to the one asked for', () => {
    expect(languageCode('english', null)).toBe('en');
    expect(languageCode('German', 'en')).toBe('de');
    expect(languageCode('fr', null)).toBe('fr');
    expect(languageCode('klingonese', 'es')).toBe('es');
    expect(languageCode(undefined, null)).toBe('und');
  });

  it('wraps PCM in a 44-byte WAV header with its length and 16 kHz mono 16-bit', () => {
    const wav = pcmToWav(Buffer.alloc(32_000));
    expect(wav.length).toBe(32_044);
    expect(wav.toString('ascii', 0, 4)).toBe('RIFF');
    expect(wav.readUInt32LE(24)).toBe(16_000);
    expect(wav.readUInt16LE(22)).toBe(1);
    expect(wav.readUInt32LE(40)).toBe(32_000);
  });

  it('reads the upstream’s message and redacts the key from it', () => {
    const body = Buffer.from(JSON.stringify({ error: { message: 'Incorrect API key provided: sk-abc123.' } }));
    expect(upstreamMessage(body, 'sk-abc123')).toBe('Incorrect API key provided: [redacted].');
    expect(upstreamMessage(Buffer.from('Bad Gateway'), null)).toBe('Bad Gateway');
  });
});
