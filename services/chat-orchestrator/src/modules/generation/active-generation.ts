/** Why a generation was cut short. */
export type StopReason = 'client-gone' | 'stop-requested' | 'timeout' | 'shutdown';

/** A generation this replica runs: how to abort it and when it has been stored. */
export class ActiveGeneration {
  readonly controller = new AbortController();
  private stopReason: StopReason | null = null;
  private settle!: () => void;
  /** Resolves once the answer is stored and the lock released. */
  readonly done = new Promise<void>((resolve) => {
    this.settle = resolve;
  });

  constructor(
    readonly tenantId: string,
    readonly conversationId: string,
    readonly messageId: string,
  ) {}

  get reason(): StopReason | null {
    return this.stopReason;
  }

  /** Aborts the provider request at once; the first reason wins. */
  abort(reason: StopReason): void {
    if (this.stopReason !== null) return;
    this.stopReason = reason;
    this.controller.abort(new DOMException(`generation ${reason}`, 'AbortError'));
  }

  finish(): void {
    this.settle();
  }
}
