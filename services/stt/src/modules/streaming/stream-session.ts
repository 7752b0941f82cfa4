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
