import { Client } from 'pg';
import type { DatabaseConfig } from '@parley/config';
import type { Logger } from '@parley/observability';

/** The Postgres channel an outbox write notifies on commit; the payload is the producing service. */
export const OUTBOX_CHANNEL = 'parley_outbox';

/** Longest wait between two attempts to listen again after the connection was lost. */
const RECONNECT_MAX_MS = 5000;

/**
 * One Postgres connection of its own (outside the pool) that LISTENs on the outbox channel and
 * wakes the relay when an instance of the same service committed outbox rows: if the writer dies
 * before it publishes them (or never flushes), they go out now rather than at the next safety
 * poll. A lost connection is re-established with backoff, and every (re)connection wakes
 * the relay once for what was committed while nobody listened. Idle, it costs nothing: the
 * connection is silent until a notification arrives.
 */
export class OutboxWakeup {
  private client: Client | undefined;
  private retry: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly database: DatabaseConfig,
    private readonly service: string,
    private readonly wake: () => void,
    private readonly logger: Logger,
  ) {}

  start(): void {
    void this.listen(0);
  }

  private async listen(attempt: number): Promise<void> {
    if (this.stopped) return;
    const client = new Client({
      connectionString: this.database.url,
      ssl: this.database.ssl ? { rejectUnauthorized: true } : false,
      application_name: `${this.service}-outbox-listen`,
      connectionTimeoutMillis: 3000,
      keepAlive: true,
    });
    const lost = (error?: unknown) => {
      if (this.client !== client && this.client !== undefined) return;
      if (this.client === client) this.client = undefined;
      void client.end().catch(() => undefined);
      if (this.stopped) return;
      const delay = Math.min(100 * 2 ** attempt, RECONNECT_MAX_MS);
      this.logger.warn({ err: error, retryInMs: delay }, 'Outbox listener lost Postgres; listening again soon');
      clearTimeout(this.retry);
      this.retry = setTimeout(() => void this.listen(Math.min(attempt + 1, 16)), delay);
    };
    client.on('error', lost);
    client.on('end', () => {
      if (this.client === client) lost(new Error('connection ended'));
    });
    client.on('notification', ({ channel, payload }) => {
      if (channel === OUTBOX_CHANNEL && payload === this.service) this.wake();
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${OUTBOX_CHANNEL}`);
    } catch (error) {
      lost(error);
      return;
    }
    if (this.stopped) {
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
    attempt = 0;
    this.wake(); // whatever was committed while nobody listened
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retry);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }
}
