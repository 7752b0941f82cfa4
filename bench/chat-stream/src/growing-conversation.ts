import { createConversation } from './bench-platform';
import { parleyEvent, type SseStreamClient } from './sse-stream-client';

export interface GrowthResult {
  turns: number;
  /**
   * Median time to first token of the long conversation's last ten turns, of first turns in fresh
   * conversations interleaved with them (same moments, same machine), and their ratio.
   */
  firstTurnsTtftMs: number;
  lastTurnsTtftMs: number;
  ratio: number;
}

const WINDOW = 10;

/**
 * One conversation through the whole platform, one turn after another, its history growing by a
 * question and an answer each turn: the work per turn must not grow with history. After each turn,
 * the first turn of a fresh conversation is timed too, so the last turns of the long conversation
 * are compared with first turns taken at the same moments (a shared machine drifts over minutes).
 */
export async function measureGrowingConversation(
  client: SseStreamClient,
  platform: { gatewayUrl: string; token: string },
  turns: number,
  expected: (text: string) => string,
  promptFor: (worker: number, seq: number) => string,
): Promise<GrowthResult> {
  const long = await createConversation(platform, 'bench: growing history');
  const ttft: number[] = [];
  const fresh: number[] = [];
  const turn = async (conversation: string, text: string): Promise<number> => {
    const timing = await client.post(
      `${platform.gatewayUrl}/api/v1/conversations/${conversation}/messages`,
      { authorization: `Bearer ${platform.token}` },
      { content: text },
      parleyEvent,
    );
    if (timing.text !== expected(text)) throw new Error(`growth: got ${JSON.stringify(timing.text)}`);
    return (timing.tokenTimes[0] ?? NaN) - timing.startedAt;
  };
  for (let n = 0; n < turns; n++) {
    ttft.push(await turn(long, promptFor(0, n)));
    if (n >= turns - WINDOW)
      fresh.push(await turn(await createConversation(platform, 'bench: first turn'), promptFor(1, n)));
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
  const first = median(fresh);
  const last = median(ttft.slice(-WINDOW));
  const round = (n: number) => Math.round(n * 1000) / 1000;
  return { turns, firstTurnsTtftMs: round(first), lastTurnsTtftMs: round(last), ratio: round(last / first) };
}
