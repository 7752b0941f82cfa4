import { STT_STREAM_LIMITS, type SttStart } from '@parley/contracts';

/** Audio as the engines take it: 16 kHz mono 16-bit PCM. */
export const BYTES_PER_SECOND = 32_000;

/** A running live session as the endpoint drives it, whichever engine transcribes. */
export interface StreamSession {
  /** One binary frame from the client. */
  audio(frame: Buffer): void;
  /** `stt.stop`: the utterance under way is finished, then the session ends. */
  stop(): Promise<void>;
  /** `stt.abort` or the socket went away: nothing more is sent or metered. */
  abort(): void;
}

/** What one session may use: the minutes left this month, and the plan's longest audio of one session. */
export interface AudioBudget {
  remainingSeconds: number;
  maxAudioSeconds: number;
}

/** The first bound a session's audio crosses at `seconds`, if any: the plan's longest audio, then the month's minutes. */
export function budgetExceeded(budget: AudioBudget, seconds: number): 'audio_too_long' | 'quota_exceeded' | null {
  if (seconds > budget.maxAudioSeconds) return 'audio_too_long';
  if (seconds > budget.remainingSeconds) return 'quota_exceeded';
  return null;
}

export const BUDGET_MESSAGES = {
  audio_too_long: "The plan's longest audio for one session is reached",
  quota_exceeded: "The plan's speech minutes for this month are used up",
} as const;

/**
 * What every live session holds its client's frames to, whichever engine transcribes: a frame's
 * size, and for raw PCM the arrival rate (at most maxRealtimeFactor× real time after a burst).
 */
export class FrameLimits {
  private readonly startedAt = Date.now();
  private receivedBytes = 0;

  constructor(private readonly format: SttStart['format']) {}

  /** The error that ends the session for this frame, or null when it may go on. */
  refusal(frame: Buffer): { code: 'frame_too_large' | 'rate_exceeded'; message: string } | null {
    if (frame.length > STT_STREAM_LIMITS.maxFrameBytes) {
      return { code: 'frame_too_large', message: `Audio frames are at most ${STT_STREAM_LIMITS.maxFrameBytes} bytes` };
    }
    this.receivedBytes += frame.length;
    const elapsed = (Date.now() - this.startedAt) / 1000;
    const allowed = (elapsed * STT_STREAM_LIMITS.maxRealtimeFactor + STT_STREAM_LIMITS.burstSeconds) * BYTES_PER_SECOND;
    if (this.format === 'pcm16' && this.receivedBytes > allowed) {
      return {
        code: 'rate_exceeded',
        message: `Audio may arrive at most ${STT_STREAM_LIMITS.maxRealtimeFactor}× real time`,
      };
    }
    return null;
  }
}
