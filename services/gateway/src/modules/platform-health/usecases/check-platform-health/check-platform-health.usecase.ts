import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig, type ServiceName } from '@parley/config';
import { HealthRegistry } from '@parley/observability';

/** Each service gets this long to answer its readiness probe. */
const PROBE_TIMEOUT_MS = 1000;

export interface ServiceHealth {
  /** `degraded`: ready, with a dependency on its fallback. */
  status: 'up' | 'degraded' | 'down';
  latencyMs: number;
  /** Why it is down, in general terms (no internal addresses or stack details leave the cluster). */
  error?: string;
}

export interface PlatformHealth {
  status: 'ok' | 'unavailable';
  services: Partial<Record<ServiceName, ServiceHealth>>;
}

/**
 * Readiness of the whole platform: the gateway's own checks plus every service's `/health/ready`
 * over HTTP, in parallel, each with a short deadline. Concurrent callers share one round of probes,
 * so this public route cannot multiply load on the services.
 */
@Injectable()
export class CheckPlatformHealthUseCase {
  private readonly targets: [ServiceName, string][];
  private inFlight: Promise<PlatformHealth> | undefined;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly health: HealthRegistry,
  ) {
    const urls = config.gateway?.serviceUrls;
    if (!urls) throw new Error('CheckPlatformHealthUseCase needs the gateway configuration');
    this.targets = [
      ['auth', urls.auth],
      ['tenant', urls.tenant],
      ['billing', urls.billing],
      ['chat-orchestrator', urls.chat],
      ['stt', urls.stt],
      ['analytics', urls.analytics],
    ];
  }

  execute(): Promise<PlatformHealth> {
    this.inFlight ??= this.check().finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  private async check(): Promise<PlatformHealth> {
    const results = await Promise.all([
      this.self(),
      ...this.targets.map(async ([name, url]) => [name, await probe(url)] as const),
    ]);
    const services: PlatformHealth['services'] = Object.fromEntries(results);
    const ok = results.every(([, r]) => r.status !== 'down');
    return { status: ok ? 'ok' : 'unavailable', services };
  }

  private async self(): Promise<readonly [ServiceName, ServiceHealth]> {
    const started = performance.now();
    const report = await this.health.readiness(PROBE_TIMEOUT_MS);
    return ['gateway', { ...summarize(report.status === 'ok', report.checks), latencyMs: since(started) }] as const;
  }
}

async function probe(baseUrl: string): Promise<ServiceHealth> {
  const started = performance.now();
  try {
    const res = await fetch(`${baseUrl.replace(/\/+$/, '')}/health/ready`, {
      signal: AbortSignal.timeout(PROBE_TIMEOUT_MS),
      redirect: 'manual',
    });
    const body = (await res.json().catch(() => ({}))) as { checks?: Record<string, { status?: string }> };
    return { ...summarize(res.status === 200, body.checks), latencyMs: since(started) };
  } catch (error) {
    const timedOut = error instanceof DOMException && error.name === 'TimeoutError';
    return { status: 'down', latencyMs: since(started), error: timedOut ? 'timeout' : 'unreachable' };
  }
}

function summarize(
  ready: boolean,
  checks: Record<string, { status?: string }> | undefined,
): Pick<ServiceHealth, 'status' | 'error'> {
  if (!ready) {
    const failing = Object.entries(checks ?? {})
      .filter(([, c]) => c.status === 'down')
      .map(([name]) => name);
    return { status: 'down', error: failing.length ? `not ready: ${failing.join(', ')}` : 'not ready' };
  }
  const degraded = Object.values(checks ?? {}).some((c) => c.status === 'degraded');
  return { status: degraded ? 'degraded' : 'up' };
}

function since(started: number): number {
  return Math.round((performance.now() - started) * 100) / 100;
}
