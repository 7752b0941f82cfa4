/** A running live session as the endpoint drives it, whichever engine transcribes. */
export interface StreamSession {
  /** One binary frame from the client. */
  audio(frame: Buffer): void;
  /** `stt.stop`: the utterance under way is finished, then the session ends. */
  stop(): Promise<void>;
  /** `stt.abort` or the socket went away: nothing more is sent or metered. */
  abort(): void;
}
