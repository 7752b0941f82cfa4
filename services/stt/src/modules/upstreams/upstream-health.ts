import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { Agent, request } from 'undici';
import { APP_CONFIG, type AppConfig, type SttUpstreamConfig } from '@parley/config';
import { HealthRegistry } from '@parley/observability';

/** A probe's answer is reused this long: readiness is polled every few seconds, the upstream bills by call. */
export const UPSTREAM_PROBE_TTL_MS = 60_000;
const PROBE_TIMEOUT_MS = 5_000;

interface Probe {
  at: number;
  error: string | null;
}

/**
 * The platform-wide speech upstreams in readiness, as `stt-upstream-uploads` (OpenAI-compatible:
 * `GET {baseUrl}/models` with the key) and `stt-upstream-streaming` (Deepgram: `GET /v1/projects`
 * with the key): up when the upstream answers and takes the key, degraded otherwise (never "down":
 * an upstream's outage must not take the stt pods out of the load balancer; requests answer 502
 * `stt_upstream_*` meanwhile). Probed at most once a minute. Tenants' own upstreams are not probed
 * (they are the tenant's, and reached only under the egress policy when a request needs them).
 */
@Injectable()
export class UpstreamHealth implements OnModuleInit, OnModuleDestroy {
  private readonly agent = new Agent({ connect: { timeout: PROBE_TIMEOUT_MS } });
  private readonly probes = new Map<string, Probe>();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly health: HealthRegistry,
  ) {}

  onModuleInit(): void {
    const { upstream, streamUpstream } = this.config.stt ?? {};
    if (upstream) {
      this.register('stt-upstream-uploads', upstream, `${upstream.baseUrl}/models`, `Bearer ${upstream.apiKey ?? ''}`);
    }
    if (streamUpstream) {
      const origin = new URL(streamUpstream.baseUrl.replace(/^ws/, 'http')).origin;
      this.register(
        'stt-upstream-streaming',
        streamUpstream,
        `${origin}/v1/projects`,
        `Token ${streamUpstream.apiKey}`,
      );
    }
  }

  onModuleDestroy(): void {
    this.agent.destroy().catch(() => undefined);
  }

  private register(name: string, target: SttUpstreamConfig, url: string, authorization: string): void {
    const headers: Record<string, string> = target.apiKey ? { authorization } : {};
    this.health.register(
      name,
      async () => {
        const last = this.probes.get(name);
        const probe = last && Date.now() - last.at < UPSTREAM_PROBE_TTL_MS ? last : await this.probe(url, headers);
        this.probes.set(name, probe);
        if (probe.error) throw new Error(probe.error);
      },
      { critical: false },
    );
  }

  private async probe(url: string, headers: Record<string, string>): Promise<Probe> {
    const at = Date.now();
    try {
      const answer = await request(url, {
        method: 'GET',
        headers,
        dispatcher: this.agent,
        headersTimeout: PROBE_TIMEOUT_MS,
        bodyTimeout: PROBE_TIMEOUT_MS,
      });
      await answer.body.dump();
      if (answer.statusCode === 401 || answer.statusCode === 403) {
        return { at, error: `the upstream refuses the key (${answer.statusCode})` };
      }
      if (answer.statusCode >= 500) return { at, error: `the upstream answers ${answer.statusCode}` };
      return { at, error: null };
    } catch (error) {
      return { at, error: `the upstream is unreachable: ${error instanceof Error ? error.message : String(error)}` };
    }
  }
}
