import { PostHog } from 'posthog-node';
import type { ProductEvent } from '../product-event';
import { type AnalyticsSink, ORGANIZATION_GROUP } from './analytics-sink';

/**
 * PostHog through `posthog-node`: each batch goes through a fresh client (its own queue, no retries
 * of its own) and one `flush()` — gzip JSON `POST /batch/` — so a failed batch is retried by the
 * forwarding queue without duplicates left behind. The tenant is the `organization` group: a
 * `groupIdentify` the first time a tenant is seen by this process, and `groups` on every event.
 */
export class PostHogSink implements AnalyticsSink {
  readonly name = 'posthog';
  private readonly identified = new Set<string>();

  constructor(
    private readonly apiKey: string,
    private readonly host: string,
  ) {}

  async send(batch: readonly ProductEvent[]): Promise<void> {
    const client = new PostHog(this.apiKey, {
      host: this.host,
      flushAt: batch.length * 2 + 2,
      flushInterval: 3_600_000,
      fetchRetryCount: 0,
      maxBatchSize: batch.length * 2 + 2,
      disableGeoip: true,
    });
    const newTenants = new Set<string>();
    try {
      for (const e of batch) {
        if (!this.identified.has(e.tenantId) && !newTenants.has(e.tenantId)) {
          newTenants.add(e.tenantId);
          client.groupIdentify({ groupType: ORGANIZATION_GROUP, groupKey: e.tenantId, properties: {} });
        }
        client.capture({
          uuid: e.insertId,
          distinctId: e.distinctId,
          event: e.name,
          timestamp: new Date(e.timestamp),
          properties: e.properties,
          groups: { [ORGANIZATION_GROUP]: e.tenantId },
        });
      }
      await client.flush();
      for (const t of newTenants) this.identified.add(t);
    } finally {
      // Nothing of a failed batch stays behind in this client: the queue retries it with a new one.
      await client.disable();
      await client.shutdown(1_000);
    }
  }

  async close(): Promise<void> {}
}
