import { SIM_LAST_REQUEST_PATH } from '@parley/testing';
import { createConversation } from './bench-platform';
import { openAiChunk, parleyEvent, type SseStreamClient } from './sse-stream-client';

export interface GrowthResult {
  turns: number;
  /** Long conversations measured (their last ten turns each, pooled). */
  rounds: number;
  /**
   * Median time to first token of the long conversation's last ten turns, of first turns in fresh
   * conversations interleaved with them (same moments, same machine), and their ratio.
   */
  firstTurnsTtftMs: number;
  lastTurnsTtftMs: number;
  ratio: number;
  /**
   * The same request bodies the platform sent the provider at those turns (read back from the
   * simulator), replayed straight to it right after: what any platform pays to send that history.
   */
  direct: { firstTurnsTtftMs: number; lastTurnsTtftMs: number; ratio: number };
  /** The platform's own added TTFT (platform minus that direct replay), last turns ÷ first turns, and in ms. */
  own: { firstTurnsMs: number; lastTurnsMs: number; ratio: number; grewMs: number };
  /**
   * The orchestrator's own view of the same turns (its histograms' sums read before and after each
   * turn, so per turn; medians): the work before the provider call, and request to first token written.
   */
  orchestrator: {
    preflight: { firstTurnsMs: number; lastTurnsMs: number };
    ttft: { firstTurnsMs: number; lastTurnsMs: number };
  };
}

/** The orchestrator's histogram sums, in seconds (from its /metrics). */
export type ServerSums = () => Promise<{ preflight: number; ttft: number }>;

const WINDOW = 10;
/** Long conversations, one after another (their last turns pooled: ten turns alone are noisy). */
const ROUNDS = 3;

/**
 * One conversation through the whole platform, one turn after another, its history growing by a
 * question and an answer each turn: the work per turn must not grow with history. After each turn,
 * the first turn of a fresh conversation is timed too, so the last turns of the long conversation
 * are compared with first turns taken at the same moments (a shared machine drifts over minutes).
 * Each measured turn comes right after a read of its conversation through the platform (the same
 * prelude for both), and its provider request is replayed straight to the simulator right after it, so
 * the report can tell what sending the longer history costs anyway from what the platform adds.
 */
export async function measureGrowingConversation(
  client: SseStreamClient,
  platform: { gatewayUrl: string; token: string; simulatorUrl: string },
  turns: number,
  expected: (text: string) => string,
  promptFor: (worker: number, seq: number) => string,
  serverSums: ServerSums,
): Promise<GrowthResult> {
  /** TTFT of the long conversations' last WINDOW turns, all rounds. */
  const ttft: number[] = [];
  const fresh: number[] = [];
  const server = {
    long: [] as { preflight: number; ttft: number }[],
    fresh: [] as { preflight: number; ttft: number }[],
  };
  const readConversation = async (conversation: string) => {
    const res = await fetch(`${platform.gatewayUrl}/api/v1/conversations/${conversation}`, {
      headers: { authorization: `Bearer ${platform.token}` },
    });
    if (!res.ok) throw new Error(`growth: reading the conversation answered ${res.status}`);
    await res.arrayBuffer();
  };
  const turn = async (conversation: string, text: string, into?: keyof typeof server): Promise<number> => {
    // Every measured turn comes right after the same thing: its conversation read through the
    // whole platform (a fresh one was just created, which would otherwise warm its path alone).
    if (into) await readConversation(conversation);
    const before = into ? await serverSums() : null;
    const timing = await client.post(
      `${platform.gatewayUrl}/api/v1/conversations/${conversation}/messages`,
      { authorization: `Bearer ${platform.token}` },
      { content: text },
      parleyEvent,
    );
    if (timing.text !== expected(text)) throw new Error(`growth: got ${JSON.stringify(timing.text)}`);
    if (into && before) {
      const after = await serverSums();
      server[into].push({
        preflight: (after.preflight - before.preflight) * 1000,
        ttft: (after.ttft - before.ttft) * 1000,
      });
    }
    return (timing.tokenTimes[0] ?? NaN) - timing.startedAt;
  };
  const simulator = { authorization: 'Bearer bench' };
  /** The body the platform just sent the simulator, sent again straight to it. */
  const replay = async (): Promise<number> => {
    const sent = await fetch(`${platform.simulatorUrl}${SIM_LAST_REQUEST_PATH}`, { headers: simulator });
    if (!sent.ok) throw new Error(`growth: the simulator answered ${sent.status} for the last request`);
    const timing = await client.post(
      `${platform.simulatorUrl}/v1/chat/completions`,
      simulator,
      await sent.json(),
      openAiChunk,
    );
    return (timing.tokenTimes[0] ?? NaN) - timing.startedAt;
  };
  const directLast: number[] = [];
  const directFirst: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const long = await createConversation(platform, 'bench: growing history');
    for (let n = 0; n < turns; n++) {
      const measured = n >= turns - WINDOW;
      const took = await turn(long, promptFor(0, n), measured ? 'long' : undefined);
      if (!measured) continue;
      ttft.push(took);
      directLast.push(await replay());
      fresh.push(await turn(await createConversation(platform, 'bench: first turn'), promptFor(1, n), 'fresh'));
      directFirst.push(await replay());
    }
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
  const round = (n: number) => Math.round(n * 1000) / 1000;
  const first = median(fresh);
  const last = median(ttft);
  const direct = { first: median(directFirst), last: median(directLast) };
  const ownFirst = median(fresh.map((t, i) => t - (directFirst[i] ?? NaN)));
  const ownLast = median(ttft.map((t, i) => t - (directLast[i] ?? NaN)));
  return {
    turns,
    rounds: ROUNDS,
    firstTurnsTtftMs: round(first),
    lastTurnsTtftMs: round(last),
    ratio: round(last / first),
    direct: {
      firstTurnsTtftMs: round(direct.first),
      lastTurnsTtftMs: round(direct.last),
      ratio: round(direct.last / direct.first),
    },
    own: {
      firstTurnsMs: round(ownFirst),
      lastTurnsMs: round(ownLast),
      ratio: round(ownLast / ownFirst),
      grewMs: round(ownLast - ownFirst),
    },
    orchestrator: {
      preflight: {
        firstTurnsMs: round(median(server.fresh.map((t) => t.preflight))),
        lastTurnsMs: round(median(server.long.map((t) => t.preflight))),
      },
      ttft: {
        firstTurnsMs: round(median(server.fresh.map((t) => t.ttft))),
        lastTurnsMs: round(median(server.long.map((t) => t.ttft))),
      },
    },
  };
}
