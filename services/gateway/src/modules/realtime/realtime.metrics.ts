import { Counter, Gauge } from 'prom-client';
import type { ServiceMetrics } from '@parley/observability';

export type UpgradeOutcome =
  'accepted' | 'not_found' | 'bad_request' | 'unauthorized' | 'forbidden' | 'tenant_refused' | 'too_many' | 'error';

/** WebSocket metrics in the service's registry (so they carry the `service` label). */
export class RealtimeMetrics {
  readonly connections: Gauge;
  readonly upgrades: Counter<'outcome'>;

  constructor(metrics: ServiceMetrics) {
    const registers = [metrics.registry];
    this.connections = new Gauge({
      name: 'ws_connections',
      help: 'Open WebSocket connections on /ws',
      registers,
    });
    this.upgrades = new Counter({
      name: 'ws_connections_total',
      help: 'WebSocket upgrade attempts on /ws, by outcome',
      labelNames: ['outcome'],
      registers,
    });
    this.connections.set(0);
  }
}
