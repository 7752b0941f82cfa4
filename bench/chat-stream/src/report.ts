import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { resolve } from 'node:path';
import type { LatencyStats } from '@parley/testing';
import type { GrowthResult } from './growing-conversation';

/**
 * The simulator directly; the floor (two bare node:http hops); the orchestrator directly (as the
 * gateway calls it); the whole platform.
 */
export type Mode = 'direct' | 'floor' | 'orchestrator' | 'platform';

export interface ModeStats {
  ttft: LatencyStats;
  gaps: LatencyStats;
  streams: number;
  tokens: number;
}

export interface LevelResult {
  concurrency: number;
  direct: ModeStats;
  floor: ModeStats;
  platform: ModeStats;
  /** What the two bare hops add over the direct path. */
  floorAdded: { ttftP50Ms: number; ttftP99Ms: number; gapP50Ms: number; gapP99Ms: number };
  /** The platform's own cost: platform-added minus floor-added; streams/s as a ratio of the floor's. */
  own: { ttftP50Ms: number; ttftP99Ms: number; gapP99Ms: number; streamsPerSecondRatio: number };
  orchestratorOnly: ModeStats;
  addedByGateway: { ttftP50Ms: number; ttftP99Ms: number; gapP99Ms: number };
  integrity: { lost: number; reordered: number; incomplete: number };
  added: { ttftP50Ms: number; ttftP99Ms: number; gapP50Ms: number; gapP99Ms: number };
  /** As the orchestrator measured it (means, platform runs of the level only). */
  orchestrator?: { preflightMeanMs: number; ttftMeanMs: number };
  /** CPU milliseconds (user + system) per completed stream of each mode, per process group. */
  cpuPerStreamMs?: Record<Mode, Record<string, number>>;
}

export interface ChatBenchSettings {
  perLevel: Record<number, number>;
  tokenDelayMs: number;
  promptWords: number;
  rounds: number;
}

const ROOT = resolve(__dirname, '../../..');
/** Issue 10's targets, each against the floor measured in the same run. */
const TARGETS = { ownTtftP50Ms: 2, ownTtftP99Ms: 6, ownGapP99Ms: 1, streamsRatioAt100: 0.7, growthRatio: 1.1 };

/** docs/benchmarks/chat-stream.{json,md}; returns a one-line summary. */
export function writeReport(results: LevelResult[], growth: GrowthResult, settings: ChatBenchSettings): string {
  const machine = {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
  };
  const at = new Date().toISOString();
  const dir = resolve(ROOT, 'docs/benchmarks');
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    resolve(dir, 'chat-stream.json'),
    `${JSON.stringify({ at, machine, settings, results, growth }, null, 2)}\n`,
  );
  const at10 = results.find((r) => r.concurrency === 10);
  const at100 = results.find((r) => r.concurrency === 100);
  const met = (value: number | undefined, target: number) =>
    value === undefined ? 'n/a' : value <= target ? 'met' : '**not met**';
  const atLeast = (value: number | undefined, target: number) =>
    value === undefined ? 'n/a' : value >= target ? 'met' : '**not met**';
  const ownRow = (r: LevelResult) =>
    `| ${r.concurrency} | ${r.floor.ttft.p50Ms} / ${r.floor.ttft.p99Ms} | ${r.floorAdded.ttftP50Ms} / ${r.floorAdded.ttftP99Ms} | ` +
    `${r.added.ttftP50Ms} / ${r.added.ttftP99Ms} | **${r.own.ttftP50Ms} / ${r.own.ttftP99Ms}** | ${r.floorAdded.gapP99Ms} | ` +
    `**${r.own.gapP99Ms}** | ${r.own.streamsPerSecondRatio} |`;
  const ownTargets = results
    .filter((r) => r.concurrency <= 10)
    .map(
      (r) =>
        `@${r.concurrency}: own TTFT p50 ≤ ${TARGETS.ownTtftP50Ms} ms — ${met(r.own.ttftP50Ms, TARGETS.ownTtftP50Ms)}, ` +
        `p99 ≤ ${TARGETS.ownTtftP99Ms} ms — ${met(r.own.ttftP99Ms, TARGETS.ownTtftP99Ms)}, ` +
        `own gap p99 ≤ ${TARGETS.ownGapP99Ms} ms — ${met(r.own.gapP99Ms, TARGETS.ownGapP99Ms)}`,
    )
    .join('; ');
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

Against the floor of this machine (two bare \`node:http\` hops, keep-alive and Nagle off, the second
re-framing the simulator's SSE into one Parley frame per token, each hop its own process,
interleaved in the same rounds): the platform's own cost is platform-added minus floor-added.

| streams in flight | floor TTFT p50 / p99 ms | floor added TTFT p50 / p99 ms | platform added TTFT p50 / p99 ms | **own TTFT p50 / p99 ms** | floor added gap p99 ms | **own gap p99 ms** | platform streams/s ÷ floor's |
| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
${results.map(ownRow).join('\n')}

A conversation whose history keeps growing (${growth.turns} turns, one after another, through the
platform; ${growth.rounds} such conversations): median TTFT of their last ten turns ${growth.lastTurnsTtftMs} ms against ${growth.firstTurnsTtftMs} ms
for first turns of fresh conversations interleaved with them; ratio ${growth.ratio}. The same
provider requests (read back from the simulator) replayed straight to it right after each of those
turns: ${growth.direct.lastTurnsTtftMs} ms against ${growth.direct.firstTurnsTtftMs} ms (ratio ${growth.direct.ratio}), what any
platform pays to send that history. The platform's own added TTFT (platform minus that replay, per
turn, median): ${growth.own.lastTurnsMs} ms at the last turns against ${growth.own.firstTurnsMs} ms at first turns, ratio
${growth.own.ratio} (${growth.own.grewMs >= 0 ? '+' : ''}${growth.own.grewMs} ms). Inside the orchestrator (per turn, median; last
turns against first turns): work before the provider call ${growth.orchestrator.preflight.lastTurnsMs} against
${growth.orchestrator.preflight.firstTurnsMs} ms, request to first token written ${growth.orchestrator.ttft.lastTurnsMs} against
${growth.orchestrator.ttft.firstTurnsMs} ms.

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

${cpuSection(results)}

Targets (issue 10, each against the floor of the same run): ${ownTargets};
completed streams per second at 100 in flight ≥ ${TARGETS.streamsRatioAt100}× the floor's — ${atLeast(at100?.own.streamsPerSecondRatio, TARGETS.streamsRatioAt100)} (${at100?.own.streamsPerSecondRatio});
TTFT at the last turns within ${Math.round((TARGETS.growthRatio - 1) * 100)}% of the first — ${met(growth.ratio, TARGETS.growthRatio)} (${growth.ratio}; the platform's own added TTFT ${growth.own.ratio}×);
zero lost or reordered tokens — ${integrity === 0 ? 'met' : '**not met**'} (${integrity}).
`;
  writeFileSync(resolve(dir, 'chat-stream.md'), md);
  return `chat-stream @10: own TTFT p50 ${at10?.own.ttftP50Ms} ms, p99 ${at10?.own.ttftP99Ms} ms; own gap p99 ${at10?.own.gapP99Ms} ms; streams/s vs floor @100 ${at100?.own.streamsPerSecondRatio}; growth ${growth.ratio}; integrity errors ${integrity}`;
}

/**
 * What a completed stream cost each process, in CPU milliseconds, for the floor and the platform:
 * on two saturated cores, streams per second at 100 follow the total.
 */
function cpuSection(results: LevelResult[]): string {
  const measured = results.filter((r) => r.cpuPerStreamMs);
  if (measured.length === 0) return '';
  const groups = [...new Set(measured.flatMap((r) => Object.keys(r.cpuPerStreamMs?.platform ?? {})))];
  const total = (cpu: Record<string, number>, names: string[]) =>
    round(names.reduce((sum, n) => sum + (cpu[n] ?? 0), 0));
  const platformParts = groups.filter((g) => g !== 'floor hops');
  const rows = measured.flatMap((r) => {
    const cpu = r.cpuPerStreamMs as Record<Mode, Record<string, number>>;
    return (['floor', 'platform'] as const).map((mode) => {
      const parts = mode === 'floor' ? ['floor hops', 'simulator'] : platformParts;
      return `| ${r.concurrency} | ${mode} | ${groups.map((g) => (parts.includes(g) ? (cpu[mode][g] ?? 0) : '')).join(' | ')} | **${total(cpu[mode], parts)}** |`;
    });
  });
  return `CPU per completed stream (user + system milliseconds from \`/proc\`, each mode's rounds only; the
shared servers also serve whatever else ran on the machine meanwhile):

| streams in flight | mode | ${groups.join(' | ')} | total |
| ---: | --- | ${groups.map(() => '---:').join(' | ')} | ---: |
${rows.join('\n')}`;
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}
