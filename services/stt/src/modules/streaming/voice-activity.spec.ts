import { describe, expect, it } from 'vitest';
import { agreedPrefix, FRAME_BYTES, partialText, VoiceActivity } from './voice-activity';

const tone = (amplitude: number) => {
  const frame = Buffer.alloc(FRAME_BYTES);
  for (let i = 0; i < FRAME_BYTES / 2; i++) frame.writeInt16LE(Math.round(amplitude * Math.sin(i / 3)), i * 2);
  return frame;
};

describe('VoiceActivity', () => {
  it('starts at the first loud frame and ends after the silence threshold, not before', () => {
    const vad = new VoiceActivity(100);
    expect(vad.push(tone(0))).toBeNull();
    expect(vad.push(tone(5000))).toEqual({ kind: 'speech-start' });
    for (let i = 0; i < 4; i++) expect(vad.push(tone(0))).toBeNull(); // 80 ms of quiet
    expect(vad.push(tone(5000))).toBeNull(); // speech again: the count starts over
    for (let i = 0; i < 4; i++) expect(vad.push(tone(0))).toBeNull();
    expect(vad.push(tone(0))).toEqual({ kind: 'speech-end' }); // 100 ms
    expect(vad.inSpeech).toBe(false);
  });
});

describe('agreedPrefix and partialText', () => {
  it('keeps the words two decodes agree on (case and punctuation aside), and never fewer than before', () => {
    expect(agreedPrefix('The quick round', 'the quick brown fox', '')).toBe('the quick');
    expect(agreedPrefix('the quick brown fox', 'The quick brown fox jumps.', 'the quick')).toBe('The quick brown fox');
    // A decode that disagrees earlier does not take back what was stable.
    expect(agreedPrefix('the quick brown fox', 'a quick brown fox', 'the quick')).toBe('the quick');
    expect(partialText('the quick', 'a quick brown fox jumps')).toBe('the quick brown fox jumps');
  });
});
