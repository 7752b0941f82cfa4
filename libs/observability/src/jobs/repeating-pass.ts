import type { BeforeApplicationShutdown, OnApplicationBootstrap } from '@nestjs/common';
import type { Logger } from '../logging/logger';

/**
 * A pass the service repeats every `intervalMs` after the last one ended (0: never), on each
 * replica; a failed pass is logged and the next one retries. On shutdown, before the pool closes,
 * no new pass starts and the one under way finishes.
 */
export abstract class RepeatingPass implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;
  private stopped = false;

  protected constructor(
    private readonly intervalMs: number,
    protected readonly logger: Logger,
    private readonly failureMessage: string,
  ) {}

  /** One pass. */
  protected abstract pass(): Promise<unknown>;

  onApplicationBootstrap(): void {
    if (this.intervalMs <= 0) return;
    const tick = () => {
      if (this.stopped) return;
      this.running = this.pass()
        .catch((error: unknown) => this.logger.warn({ err: error }, this.failureMessage))
        .finally(() => {
          this.running = undefined;
          if (!this.stopped) this.timer = setTimeout(tick, this.intervalMs);
        });
    };
    this.timer = setTimeout(tick, this.intervalMs);
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }
}
