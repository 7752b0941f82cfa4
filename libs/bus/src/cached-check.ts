import type { HealthCheck } from '@parley/observability';

/**
 * A readiness check that does real work (a produce, a round trip) made cheap to poll: its outcome
 * is reused for `ttlMs` after it settles, and while one run is in flight every caller shares it
 * (an outage never piles up probes). Each caller waits at most `timeoutMs` for the shared run.
 */
export function cachedCheck(check: () => Promise<void>, ttlMs: number, timeoutMs: number): HealthCheck {
  let inFlight: Promise<void> | undefined;
  let last: { at: number; error: Error | undefined } | undefined;
  return async () => {
    if (!inFlight && last && Date.now() - last.at < ttlMs) {
      if (last.error !== undefined) throw last.error;
      return;
    }
    inFlight ??= check().then(
      () => {
        last = { at: Date.now(), error: undefined };
        inFlight = undefined;
      },
      (error: unknown) => {
        const failure = error instanceof Error ? error : new Error(String(error));
        last = { at: Date.now(), error: failure };
        inFlight = undefined;
        throw failure;
      },
    );
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      await Promise.race([inFlight, timeout]);
    } finally {
      clearTimeout(timer);
    }
  };
}
