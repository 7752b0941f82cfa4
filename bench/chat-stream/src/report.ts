import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { resolve } from 'node:path';
import type { LatencyStats } from '@parley/testing';

/** The simulator directly; the orchestrator directly (internal headers, as the gateway calls it); the whole platform. */
export type Mode = 'direct' | 'orchestrator' | 'platform';

export interface ModeStats {
  ttft: LatencyStats;
  gaps: LatencyStats;
  streams: number;
  tokens: number;
}

export interface LevelResult {
  concurrency: number;
  direct: ModeStats;
  platform: ModeStats;
  orchestratorOnly: ModeStats;
  addedByGateway: { ttftP50Ms: number; ttftP99Ms: number; gapP99Ms: number };
  integrity: { lost: number; reordered: number; incomplete: number };
  added: { ttftP50Ms: number; ttftP99Ms: number; gapP50Ms: number; gapP99Ms: number };
  /** As the orchestrator measured it (means, platform runs of the level only). */
  orchestrator?: { preflightMeanMs: number; ttftMeanMs: number };
}

export interface ChatBenchSettings {
  perLevel: Record<number, number>;
  tokenDelayMs: number;
  promptWords: number;
  rounds: number;
}

const ROOT = resolve(__dirname, '../../..');
const TARGETS = { ttftP50Ms: 5, ttftP99Ms: 15, gapP99Ms: 1 };

/** docs/benchmarks/chat-stream.{json,md}; returns a one-line summary. */
export function writeReport(results: LevelResult[], settings: ChatBenchSettings): string {
  const machine = {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
  };
  const at = new Date().toISOString();
  const dir = resolve(ROOT, 'docs/benchmarks');
  mkdirSync(dir, { recursive: true });
  writeFileSync(resolve(dir, 'chat-stream.json'), `${JSON.stringify({ at, machine, settings, results }, null, 2)}\n`);
  const at10 = results.find((r) => r.concurrency === 10);
  const met = (value: number | undefined, target: number) =>
    value === undefined ? 'n/a' : value <= target ? 'met' : '**not met**';
  const integrity = results.reduce(
    (sum, r) => sum + r.integrity.lost + r.integrity.reordered + r.integrity.incomplete,
    0,
  );
  const row = (r: LevelResult) =>
    `| ${r.concurrency} | ${r.direct.ttft.p50Ms} / ${r.direct.ttft.p99Ms} | ${r.platform.ttft.p50Ms} / ${r.platform.ttft.p99Ms} | ` +
    `**${r.added.ttftP50Ms} / ${r.added.ttftP99Ms}** | ${r.direct.gaps.p50Ms} / ${r.direct.gaps.p99Ms} | ` +
    `${r.platform.gaps.p50Ms} / ${r.platform.gaps.p99Ms} | **${r.added.gapP50Ms} / ${r.added.gapP99Ms}** | ` +
    `${r.platform.streams} / ${r.platform.tokens} | ${r.integrity.lost} / ${r.integrity.reordered} / ${r.integrity.incomplete} |`;
  const md = `# Chat streaming benchmark

Command: \`bash bench/chat-stream/run.sh\` (writes this file and \`chat-stream.json\`). Run at ${at} on
${machine.cores} × ${machine.cpu}, ${machine.memoryGiB} GiB, Node ${machine.node}, everything on loopback.

What is measured: a client streams an answer over SSE through the whole platform (client → gateway →
chat-orchestrator → LLM simulator → back: auth and rate limit at the gateway, quota, history, skill
and provider resolution and the stores in Postgres/Redis at the orchestrator, the OpenAI adapter,
SSE passthrough) and, interleaved in the same rounds, the same client streams from the simulator
directly. The simulator (a separate process) answers each ${settings.promptWords}-word prompt with
its echo, one token every ${settings.tokenDelayMs} ms. Time to first token (TTFT) runs from the
request to the first token's frame; gaps are between consecutive tokens of one answer. "Added" is
the platform percentile minus the direct percentile. Streams per level: ${JSON.stringify(settings.perLevel)}
over ${settings.rounds} rounds after a warm-up. Every platform answer is compared with the direct
answer to the same prompt (text equal), and its token indexes and event sequence numbers checked.

| streams in flight | direct TTFT p50 / p99 ms | platform TTFT p50 / p99 ms | added TTFT p50 / p99 ms | direct gap p50 / p99 ms | platform gap p50 / p99 ms | added gap p50 / p99 ms | platform streams / tokens | lost / reordered / incomplete |
| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
${results.map(row).join('\n')}

Split by hop (the same client streaming from the orchestrator directly, with the internal headers
the gateway would set — the third mode of each round):

| streams in flight | orchestrator direct TTFT p50 / p99 ms | orchestrator added over simulator p50 / p99 ms | gateway added over orchestrator TTFT p50 / p99 ms | gateway added gap p99 ms |
| ---: | ---: | ---: | ---: | ---: |
${results
  .map(
    (r) =>
      `| ${r.concurrency} | ${r.orchestratorOnly.ttft.p50Ms} / ${r.orchestratorOnly.ttft.p99Ms} | ${round(r.orchestratorOnly.ttft.p50Ms - r.direct.ttft.p50Ms)} / ${round(r.orchestratorOnly.ttft.p99Ms - r.direct.ttft.p99Ms)} | ${r.addedByGateway.ttftP50Ms} / ${r.addedByGateway.ttftP99Ms} | ${r.addedByGateway.gapP99Ms} |`,
  )
  .join('\n')}

Inside the orchestrator (its own histograms, means, over all its requests of the level): ${results
    .map(
      (r) =>
        `@${r.concurrency}: work before the provider call ${r.orchestrator?.preflightMeanMs} ms, request to first token written ${r.orchestrator?.ttftMeanMs} ms (direct TTFT mean ${r.direct.ttft.meanMs} ms, platform ${r.platform.ttft.meanMs} ms)`,
    )
    .join('; ')}.

Targets at 10 concurrent streams: added TTFT p50 ≤ ${TARGETS.ttftP50Ms} ms — ${met(at10?.added.ttftP50Ms, TARGETS.ttftP50Ms)};
added TTFT p99 ≤ ${TARGETS.ttftP99Ms} ms — ${met(at10?.added.ttftP99Ms, TARGETS.ttftP99Ms)};
added inter-token gap p99 ≤ ${TARGETS.gapP99Ms} ms — ${met(at10?.added.gapP99Ms, TARGETS.gapP99Ms)};
zero lost or reordered tokens — ${integrity === 0 ? 'met' : '**not met**'} (${integrity}).
`;
  writeFileSync(resolve(dir, 'chat-stream.md'), md);
  return `chat-stream @10: added TTFT p50 ${at10?.added.ttftP50Ms} ms, p99 ${at10?.added.ttftP99Ms} ms; added gap p99 ${at10?.added.gapP99Ms} ms; integrity errors ${integrity}`;
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}
