import Mixpanel from 'mixpanel';
import type { ProductEvent } from '../product-event';
import { type AnalyticsSink, ORGANIZATION_GROUP } from './analytics-sink';

/**
 * Mixpanel through the `mixpanel` package: a batch is one `track_batch` (`POST /track`, base64
 * `data`), each event with the `organization` group key set to its tenant; the group profile is
 * set once per tenant and process (`/groups`). Mixpanel answers `1` when it took them.
 */
export class MixpanelSink implements AnalyticsSink {
  readonly name = 'mixpanel';
  private readonly client: Mixpanel.Mixpanel;
  private readonly identified = new Set<string>();

  constructor(token: string, host: string) {
    const url = new URL(host);
    this.client = Mixpanel.init(token, {
      host: url.host,
      protocol: url.protocol.replace(':', ''),
      path: url.pathname === '/' ? '' : url.pathname,
      geolocate: false,
      keepAlive: false,
    });
  }

  async send(batch: readonly ProductEvent[]): Promise<void> {
    for (const tenantId of new Set(batch.map((e) => e.tenantId))) {
      if (this.identified.has(tenantId)) continue;
      await new Promise<void>((resolve, reject) =>
        this.client.groups.set(ORGANIZATION_GROUP, tenantId, { tenantId }, (err) => (err ? reject(err) : resolve())),
      );
      this.identified.add(tenantId);
    }
    const events = batch.map((e) => ({
      event: e.name,
      properties: {
        ...e.properties,
        distinct_id: e.distinctId,
        $insert_id: e.insertId,
        time: new Date(e.timestamp).getTime(),
        [ORGANIZATION_GROUP]: e.tenantId,
      },
    }));
    await new Promise<void>((resolve, reject) =>
      this.client.track_batch(events, (errors) => (errors && errors.length ? reject(errors[0]) : resolve())),
    );
  }

  async close(): Promise<void> {}
}
