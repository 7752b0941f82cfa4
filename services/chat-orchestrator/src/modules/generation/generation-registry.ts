import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import { Redis } from 'ioredis';
import { z } from 'zod';
import { APP_CONFIG, type AppConfig } from '@parley/config';
import { LOGGER, type Logger } from '@parley/observability';
import { REDIS } from '@parley/tenancy';
import { ActiveGeneration } from './active-generation';

/** Every orchestrator replica listens here; the replica running the named generation stops it. */
export const STOP_CHANNEL = 'parley:chat:generation-stop';
const stopMessageSchema = z.strictObject({ tenantId: z.uuid(), conversationId: z.uuid() });

/** How long shutdown waits for aborted generations to be stored. */
const SHUTDOWN_WAIT_MS = 5_000;

/**
 * The generations running on this replica, and the stop channel: `POST /conversations/:id/stop`
 * on any replica publishes `{tenantId, conversationId}`; each replica hears it on a dedicated
 * subscriber connection, and the one running it aborts it. On shutdown, running generations are
 * aborted and stored (status failed, `service_unavailable`) before the database closes.
 */
@Injectable()
export class GenerationRegistry implements OnModuleInit, BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly active = new Map<string, ActiveGeneration>();
  private subscriber: Redis | undefined;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async onModuleInit(): Promise<void> {
    const subscriber = new Redis(this.config.redis.url, {
      connectionName: `parley-${this.config.service}-stop`,
      lazyConnect: true,
      retryStrategy: (times) => Math.min(times * 200, 2000),
    });
    subscriber.on('error', () => undefined); // reconnects and resubscribes by itself
    subscriber.on('message', (_channel: string, raw: string) => this.onStopMessage(raw));
    this.subscriber = subscriber;
    try {
      await subscriber.connect();
      await subscriber.subscribe(STOP_CHANNEL);
    } catch (error) {
      this.logger.warn(
        { err: error },
        'Stop channel not subscribed yet (Redis unreachable); retrying in the background',
      );
    }
  }

  /** Registers a generation about to run (the conversation lock is already held). */
  begin(tenantId: string, conversationId: string, messageId: string): ActiveGeneration {
    const generation = new ActiveGeneration(tenantId, conversationId, messageId);
    this.active.set(keyOf(tenantId, conversationId), generation);
    void generation.done.then(() => {
      if (this.active.get(keyOf(tenantId, conversationId)) === generation) {
        this.active.delete(keyOf(tenantId, conversationId));
      }
    });
    return generation;
  }

  /** Stops the conversation's generation if this replica runs it; resolves once it is stored. */
  async stopLocal(tenantId: string, conversationId: string): Promise<boolean> {
    const generation = this.active.get(keyOf(tenantId, conversationId));
    if (!generation) return false;
    generation.abort('stop-requested');
    await generation.done;
    return true;
  }

  /** Asks every replica to stop the conversation's generation. */
  async publishStop(tenantId: string, conversationId: string): Promise<void> {
    await this.redis.publish(STOP_CHANNEL, JSON.stringify({ tenantId, conversationId }));
  }

  get size(): number {
    return this.active.size;
  }

  async beforeApplicationShutdown(): Promise<void> {
    const running = [...this.active.values()];
    if (running.length === 0) return;
    for (const generation of running) generation.abort('shutdown');
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.all(running.map((generation) => generation.done)),
      new Promise((resolve) => {
        timer = setTimeout(resolve, SHUTDOWN_WAIT_MS);
      }),
    ]);
    clearTimeout(timer);
  }

  onApplicationShutdown(): void {
    this.subscriber?.disconnect();
  }

  private onStopMessage(raw: string): void {
    let parsed: z.infer<typeof stopMessageSchema>;
    try {
      parsed = stopMessageSchema.parse(JSON.parse(raw));
    } catch {
      this.logger.warn('Malformed message on the generation stop channel ignored');
      return;
    }
    this.active.get(keyOf(parsed.tenantId, parsed.conversationId))?.abort('stop-requested');
  }
}

const keyOf = (tenantId: string, conversationId: string) => `${tenantId}:${conversationId}`;
