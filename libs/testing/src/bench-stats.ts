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
