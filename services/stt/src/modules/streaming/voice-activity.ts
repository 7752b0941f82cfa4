/** 20 ms of 16 kHz mono s16le. */
export const FRAME_BYTES = 640;
export const FRAME_MS = 20;

/** Root mean square of one s16le frame, in sample units (0..32768). */
export function frameEnergy(frame: Buffer): number {
  let sum = 0;
  const samples = Math.floor(frame.length / 2);
  for (let i = 0; i < samples; i++) {
    const s = frame.readInt16LE(i * 2);
    sum += s * s;
  }
  return samples ? Math.sqrt(sum / samples) : 0;
}

export type VadEvent = { kind: 'speech-start' } | { kind: 'speech-end' } | null;

/**
 * Energy voice-activity detection with hangover: speech starts at the first frame louder than the
 * threshold and ends once `silenceMs` of quieter frames follow it (the endpoint of an utterance).
 */
export class VoiceActivity {
  private speaking = false;
  private quietMs = 0;

  constructor(
    private readonly silenceMs: number,
    private readonly threshold = 400,
  ) {}

  get inSpeech(): boolean {
    return this.speaking;
  }

  /** Feeds one 20 ms frame; says when speech starts or ends. */
  push(frame: Buffer): VadEvent {
    const loud = frameEnergy(frame) >= this.threshold;
    if (!this.speaking) {
      if (!loud) return null;
      this.speaking = true;
      this.quietMs = 0;
      return { kind: 'speech-start' };
    }
    this.quietMs = loud ? 0 : this.quietMs + FRAME_MS;
    if (this.quietMs >= this.silenceMs) {
      this.speaking = false;
      this.quietMs = 0;
      return { kind: 'speech-end' };
    }
    return null;
  }
}

/** Words of a hypothesis, compared without case and punctuation. */
function norm(word: string): string {
  return word.toLowerCase().replace(/[^\p{L}\p{N}']/gu, '');
}

/**
 * Local agreement: the words two consecutive decodes of the growing utterance agree on, from the
 * start, never fewer than were agreed before (a partial's stable prefix only grows).
 */
export function agreedPrefix(previous: string, current: string, stable: string): string {
  const a = previous.split(/\s+/).filter(Boolean);
  const b = current.split(/\s+/).filter(Boolean);
  let n = 0;
  while (n < a.length && n < b.length && norm(a[n] as string) === norm(b[n] as string)) n++;
  const agreed = b.slice(0, n).join(' ');
  const kept = stable.split(/\s+/).filter(Boolean);
  return n >= kept.length ? agreed : stable;
}

/** The partial text: the stable prefix, then what the latest decode has beyond it. */
export function partialText(stable: string, hypothesis: string): string {
  const kept = stable.split(/\s+/).filter(Boolean);
  const rest = hypothesis.split(/\s+/).filter(Boolean).slice(kept.length);
  return [...kept, ...rest].join(' ');
}
