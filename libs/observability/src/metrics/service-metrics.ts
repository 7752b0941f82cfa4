import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * One registry per service instance: default Node metrics plus HTTP and bus handler counters and
 * latency histograms, labelled by service and route/topic.
 */
export class ServiceMetrics {
  readonly registry = new Registry();
  readonly httpRequests: Counter<'method' | 'route' | 'status'>;
  readonly httpDuration: Histogram<'method' | 'route' | 'status'>;
  readonly busHandled: Counter<'topic' | 'outcome'>;
  readonly busDuration: Histogram<'topic'>;
  readonly busDeadLetters: Counter<'topic'>;
  readonly busPublished: Counter<'topic'>;
  readonly busRequestDuration: Histogram<'topic' | 'outcome'>;
  readonly dependencyUp: Gauge<'dependency'>;

  /**
   * `eventLoopResolutionMs`: how often the event-loop delay histogram samples. prom-client's 10 ms
   * default is a timer a hundred times a second, the largest part of an idle service's CPU;
   * METRICS_EVENT_LOOP_RESOLUTION_MS (100 ms) still catches any stall that long or longer.
   */
  constructor(
    readonly service: string,
    eventLoopResolutionMs = 100,
  ) {
    this.registry.setDefaultLabels({ service });
    collectDefaultMetrics({ register: this.registry, eventLoopMonitoringPrecision: eventLoopResolutionMs });
    const registers = [this.registry];
    this.httpRequests = new Counter({
      name: 'http_requests_total',
      help: 'HTTP requests handled, by route and status',
      labelNames: ['method', 'route', 'status'],
      registers,
    });
    this.httpDuration = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request latency',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    this.busHandled = new Counter({
      name: 'bus_messages_handled_total',
      help: 'Kafka messages handled, by topic and outcome (ok, rejected, retry, dead_letter, duplicate, expired)',
      labelNames: ['topic', 'outcome'],
      registers,
    });
    this.busDuration = new Histogram({
      name: 'bus_handler_duration_seconds',
      help: 'Kafka handler latency, by topic',
      labelNames: ['topic'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5],
      registers,
    });
    this.busDeadLetters = new Counter({
      name: 'bus_dead_letter_total',
      help: 'Messages sent to the dead-letter topic, by original topic',
      labelNames: ['topic'],
      registers,
    });
    this.busPublished = new Counter({
      name: 'bus_messages_published_total',
      help: 'Kafka messages published, by topic',
      labelNames: ['topic'],
      registers,
    });
    this.busRequestDuration = new Histogram({
      name: 'bus_request_duration_seconds',
      help: 'Request/reply round trips over Kafka, by command topic and outcome',
      labelNames: ['topic', 'outcome'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.015, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5],
      registers,
    });
    this.dependencyUp = new Gauge({
      name: 'dependency_up',
      help: '1 when the last readiness check of a dependency passed',
      labelNames: ['dependency'],
      registers,
    });
  }
}
