import { summarize, type LatencyStats } from '@parley/testing';

/** One answer of the client's log: when it was sent, what came back, how long it took. */
export interface Answer {
  at: number;
  status: number;
  code: string;
  ms: number;
  tenantId?: string;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let seq = 0;

/** Sends a request and logs its answer; a network failure is status 0 with the error's name. */
export async function timed(call: () => Promise<Response>): Promise<Answer> {
  const at = Date.now();
  const started = performance.now();
  try {
    const res = await call();
    const body = (await res.json().catch(() => ({}))) as { error?: { code: string }; tenant?: { id: string } };
    return {
      at,
      status: res.status,
      code: body.error?.code ?? 'ok',
      ms: performance.now() - started,
      tenantId: body.tenant?.id,
    };
  } catch (error) {
    return { at, status: 0, code: (error as Error).name, ms: performance.now() - started };
  }
}

/** A fresh sign-up through the gateway (auth → `tenant.create.v2` → tenant → reply). */
export function signUp(api: string, prefix = 'f'): Promise<Answer> {
  const slug = `${prefix}${process.pid}-${++seq}`;
  return timed(() =>
    fetch(`${api}/api/v1/auth/sign-up`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        organizationName: slug,
        organizationSlug: slug,
        email: `o@${slug}.test`,
        password: 'correct horse battery',
        name: 'Owner',
      }),
      signal: AbortSignal.timeout(30_000),
    }),
  );
}

/** Sign-ups without pause from `workers` clients, logged, until stopped. */
export class SignUpTraffic {
  readonly answers: Answer[] = [];
  private running = true;
  private readonly loops: Promise<void>[];

  constructor(api: string, workers: number) {
    this.loops = Array.from({ length: workers }, async () => {
      while (this.running) {
        this.answers.push(await signUp(api));
        await sleep(50);
      }
    });
  }

  /** Milliseconds from `since` to the end of the first 201 sent at or after it (NaN after `timeoutMs`). */
  async firstSuccessAfter(since: number, timeoutMs = 90_000): Promise<number> {
    const found = () => this.answers.find((a) => a.at >= since && a.status === 201);
    while (Date.now() < since + timeoutMs && !found()) await sleep(50);
    const first = found();
    return first ? first.at + first.ms - since : NaN;
  }

  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.loops);
  }
}

/** The owner the Redis and Postgres scenarios act as; retried while the platform settles. */
export async function signUpOwner(api: string): Promise<{ token: string }> {
  for (let i = 0; i < 100; i++) {
    const slug = `fo${process.pid}-${++seq}`;
    const res = await fetch(`${api}/api/v1/auth/sign-up`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        organizationName: slug,
        organizationSlug: slug,
        email: `o@${slug}.test`,
        password: 'correct horse battery',
        name: 'O',
      }),
    });
    if (res.status === 201) return { token: ((await res.json()) as { accessToken: string }).accessToken };
    await sleep(500);
  }
  throw new Error('no sign-up succeeded');
}

/** Calls one after the other, `n` times or until `forMs` has passed (whichever comes first). */
export async function series(
  call: () => Promise<Answer>,
  bound: { n?: number; forMs?: number; pauseMs?: number },
): Promise<{ answers: Record<string, number>; latency: LatencyStats; log: Answer[] }> {
  const started = performance.now();
  const log: Answer[] = [];
  const until = Date.now() + (bound.forMs ?? Infinity);
  while (log.length < (bound.n ?? Infinity) && Date.now() < until) {
    log.push(await call());
    if (bound.pauseMs) await sleep(bound.pauseMs);
  }
  return {
    answers: countBy(log.map((r) => `${r.status} ${r.code}`)),
    latency: summarize(
      log.map((r) => r.ms),
      performance.now() - started,
    ),
    log,
  };
}

/** Milliseconds from now to the end of the first call answering `ok` (polled every 100 ms; NaN after `timeoutMs`). */
export async function untilOk(call: () => Promise<Answer>, ok: number, timeoutMs = 90_000): Promise<number> {
  const since = Date.now();
  while (Date.now() < since + timeoutMs) {
    const answer = await call();
    if (answer.status === ok) return Date.now() - since;
    await sleep(100);
  }
  return NaN;
}

/**
 * Milliseconds from now until each service's `/health/ready` answers 200 (polled every 250 ms; NaN
 * after `timeoutMs`), and the failing checks it reported last before that (what held it back).
 */
export async function untilReady(
  services: readonly { name: string; url: string }[],
  timeoutMs = 90_000,
): Promise<Record<string, { ms: number; lastDown?: string }>> {
  const since = Date.now();
  const one = async ({ url }: { url: string }) => {
    let lastDown: string | undefined;
    while (Date.now() < since + timeoutMs) {
      const res = await fetch(`${url}/health/ready`).catch(() => undefined);
      if (res?.status === 200) return { ms: Date.now() - since, lastDown };
      const body = (await res?.json().catch(() => undefined)) as
        { checks?: Record<string, { status: string; error?: string }> } | undefined;
      const down = Object.entries(body?.checks ?? {}).filter(([, c]) => c.status === 'down');
      if (down.length) lastDown = down.map(([name, c]) => `${name}: ${c.error ?? 'down'}`).join('; ');
      await sleep(250);
    }
    return { ms: NaN, lastDown };
  };
  const results = await Promise.all(services.map(one));
  return Object.fromEntries(services.map((s, i) => [s.name, results[i] as { ms: number; lastDown?: string }]));
}

export function countBy(keys: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const key of keys) out[key] = (out[key] ?? 0) + 1;
  return out;
}
