import type { HealthCheck, Logger } from '@parley/observability';

/** Where a service's consumers are; readiness shows it until they consume. */
export type ConsumerState = 'waiting for dependencies' | 'consumers joining' | 'consuming' | 'stopped';

/** Backoff between start attempts: doubles from 250 ms, at most 4 s (request/reply back within ~5 s). */
const BACKOFF_MIN_MS = 250;
const BACKOFF_MAX_MS = 4000;

export interface ConsumerStartupSteps {
  /** Resolves when every dependency a handler needs answers (Postgres, Redis); throws if not. */
  dependencies(): Promise<void>;
  /** Connects, subscribes and resolves once the consumer group is joined; throws on failure. */
  join(): Promise<void>;
  /** Drops a half-started consumer before the next attempt. */
  cleanup(): Promise<void>;
}

/**
 * Starts a service's consumers in the background, so the service listens at once even when Kafka,
 * Postgres or Redis is down: first every dependency the handlers need (no "Driver not Connected"
 * on the first message of a backlog), then the group join, retried with backoff until it works.
 * The readiness check says which stage it is in until the consumers consume.
 */
export class ConsumerStartup {
  /** From the first instant: the service listens at once and says its consumers are joining. */
  private current: ConsumerState = 'consumers joining';
  private closed = false;
  private running: Promise<void> | undefined;
  private lastError = '';

  constructor(
    private readonly steps: ConsumerStartupSteps,
    private readonly log: Logger,
  ) {}

  get state(): ConsumerState {
    return this.current;
  }

  /** The readiness check: up only while consuming. */
  readonly check: HealthCheck = () =>
    this.current === 'consuming'
      ? Promise.resolve()
      : Promise.reject(new Error(this.lastError ? `${this.current} (last error: ${this.lastError})` : this.current));

  /** Starts (or, after a crash, restarts) the loop; a loop already running is left alone. */
  run(): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.running ??= this.loop().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  /** After a crash: drop the consumer and start again (readiness turns down meanwhile). */
  async cleanupAndRestart(): Promise<void> {
    if (this.closed) return;
    this.current = 'consumers joining';
    await this.steps.cleanup().catch(() => undefined);
    await this.run();
  }

  close(): void {
    this.closed = true;
    this.current = 'stopped';
  }

  private async loop(): Promise<void> {
    for (let attempt = 0; !this.closed; attempt++) {
      try {
        await this.steps.dependencies().catch((error: unknown) => {
          this.current = 'waiting for dependencies';
          throw error;
        });
        if (this.closed) return;
        this.current = 'consumers joining';
        await this.steps.join();
        if (this.closed) return;
        this.current = 'consuming';
        this.lastError = '';
        this.log.info({ attempts: attempt + 1 }, 'Consumers joined their group');
        return;
      } catch (error) {
        this.lastError = error instanceof Error ? error.message : String(error);
        const delay = Math.min(BACKOFF_MIN_MS * 2 ** attempt, BACKOFF_MAX_MS);
        this.log.warn({ err: error, stage: this.current, retryInMs: delay }, 'Consumers not started yet; retrying');
        await this.steps.cleanup().catch(() => undefined);
        await new Promise((r) => setTimeout(r, delay));
      }
    }
  }
}
