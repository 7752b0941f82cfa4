export interface LatencyStats {
  count: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
  meanMs: number;
  throughputPerSec: number;
}

export function summarize(samples: number[], elapsedMs: number): LatencyStats {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? NaN;
  const round = (n: number) => Math.round(n * 1000) / 1000;
  return {
    count: sorted.length,
    p50Ms: round(at(0.5)),
    p90Ms: round(at(0.9)),
    p99Ms: round(at(0.99)),
    maxMs: round(sorted[sorted.length - 1] ?? NaN),
    meanMs: round(sorted.reduce((a, b) => a + b, 0) / Math.max(1, sorted.length)),
    throughputPerSec: Math.round((sorted.length / elapsedMs) * 1000),
  };
}

/** Benchmark helpers (bench/*). Runs up to `total` operations keeping `inFlight` outstanding, within `deadlineMs`; per-operation latencies. */
export async function closedLoop(
  total: number,
  inFlight: number,
  op: (seq: number) => Promise<void>,
  deadlineMs: number,
): Promise<{ latencies: number[]; elapsedMs: number }> {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  const deadline = started + deadlineMs;
  async function worker(): Promise<void> {
    while (next < total && performance.now() < deadline) {
      const seq = next++;
      const t0 = performance.now();
      await op(seq);
      latencies.push(performance.now() - t0);
    }
  }
  await Promise.all(Array.from({ length: inFlight }, () => worker()));
  return { latencies, elapsedMs: performance.now() - started };
}

/** Cumulative bucket counts (upper bound in seconds → count), sum and count of one histogram series. */
export interface HistogramSnapshot {
  buckets: Map<number, number>;
  sum: number;
  count: number;
}

/**
 * One series of a histogram in the Prometheus text format, as a service's /metrics serves it: the
 * series whose line contains `label` ('' for any), with or without labels.
 */
export function parseHistogram(text: string, metric: string, label = ''): HistogramSnapshot {
  const snapshot: HistogramSnapshot = { buckets: new Map(), sum: 0, count: 0 };
  const is = (line: string, suffix: string) =>
    line.startsWith(`${metric}_${suffix}{`) || line.startsWith(`${metric}_${suffix} `);
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${metric}_`) || !line.includes(label)) continue;
    const value = Number(line.slice(line.lastIndexOf(' ') + 1));
    if (is(line, 'bucket')) {
      const le = /le="([^"]+)"/.exec(line)?.[1];
      if (le !== undefined) snapshot.buckets.set(le === '+Inf' ? Infinity : Number(le), value);
    } else if (is(line, 'sum')) snapshot.sum = value;
    else if (is(line, 'count')) snapshot.count = value;
  }
  return snapshot;
}
