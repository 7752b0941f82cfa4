import { type BeforeApplicationShutdown, Injectable } from '@nestjs/common';
import { ServiceMetrics } from '../metrics/service-metrics';

export type HealthCheck = () => Promise<void>;

export interface ReadinessReport {
  status: 'ok' | 'unavailable';
  /** `degraded`: a non-critical check failed; the service works (with a fallback) and stays ready. */
  checks: Record<string, { status: 'up' | 'down' | 'degraded'; latencyMs: number; error?: string }>;
}

export interface HealthCheckOptions {
  /** Default true. A failing non-critical check reports `degraded` and keeps the service ready. */
  critical?: boolean;
}

/** Modules that own a dependency (Postgres, Redis, Kafka) register a readiness check here. */
@Injectable()
export class HealthRegistry implements BeforeApplicationShutdown {
  private readonly checks = new Map<string, { check: HealthCheck; critical: boolean }>();
  private shuttingDown = false;

  constructor(private readonly metrics: ServiceMetrics) {}

  /** Registering a name again replaces its check (a service can relax a shared module's check). */
  register(name: string, check: HealthCheck, options: HealthCheckOptions = {}): void {
    this.checks.set(name, { check, critical: options.critical ?? true });
  }

  /**
   * Runs the named checks that are registered (others are skipped) and throws the first failure:
   * a gate for work that needs those dependencies (consumers start only when Postgres answers).
   */
  async ensure(names: readonly string[], timeoutMs = 2000): Promise<void> {
    for (const name of names) {
      const entry = this.checks.get(name);
      if (!entry) continue;
      try {
        await withTimeout(entry.check(), timeoutMs, `${name} check timed out after ${timeoutMs} ms`);
      } catch (error) {
        throw new Error(`${name} not ready: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }

  /** Readiness turns false as soon as shutdown starts, so load balancers stop sending work. */
  beforeApplicationShutdown(): void {
    this.shuttingDown = true;
  }

  async readiness(timeoutMs = 2000): Promise<ReadinessReport> {
    const entries = await Promise.all(
      [...this.checks.entries()].map(async ([name, { check, critical }]) => {
        const started = performance.now();
        try {
          await withTimeout(check(), timeoutMs, `${name} check timed out after ${timeoutMs} ms`);
          this.metrics.dependencyUp.set({ dependency: name }, 1);
          return [name, { status: 'up' as const, latencyMs: round(performance.now() - started) }] as const;
        } catch (error) {
          this.metrics.dependencyUp.set({ dependency: name }, 0);
          const message = error instanceof Error ? error.message : String(error);
          return [
            name,
            {
              status: critical ? ('down' as const) : ('degraded' as const),
              latencyMs: round(performance.now() - started),
              error: message,
            },
          ] as const;
        }
      }),
    );
    const checks: ReadinessReport['checks'] = {};
    for (const [name, result] of entries) checks[name] = result;
    const allUp = entries.every(([, c]) => c.status !== 'down');
    if (this.shuttingDown) checks['shutdown'] = { status: 'down', latencyMs: 0, error: 'shutting down' };
    return { status: allUp && !this.shuttingDown ? 'ok' : 'unavailable', checks };
  }
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}

function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
