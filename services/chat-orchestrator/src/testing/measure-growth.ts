import type { Caller, ChatStack } from './chat-stack';
import { fitContext } from '../modules/generation/context-window';
import { TokenCounter } from '../modules/accounting/token-counter';

/** What one answer cost, server side (its log line) and client side. */
interface TurnCost {
  ttftMs: number;
  preflightMs: number;
  exchangeMs: number;
  firstTokenMs: number;
  /** The provider request, replayed straight to the simulator: its TTFT and size. */
  directMs: number;
  bodyBytes: number;
  /** In-process, the same history: fitContext, and JSON serialisation of the request body. */
  fitMs: number;
  stringifyMs: number;
}

export type FirstToken = (url: string, caller: Caller, body: unknown) => Promise<number>;
export type FirstTokenDirect = (body: Record<string, unknown>) => Promise<number>;

const WINDOW = 10;

/**
 * `rounds` conversations of `turns` turns each, one turn after another; at each of its first and last ten turns, a
 * first turn of a fresh conversation is timed too (same moments: a shared machine drifts), and
 * each of those two provider requests is replayed straight to the simulator (what any platform
 * that sends this history pays). Prints the medians of the last ten long turns against the fresh
 * first turns taken beside them, per part, and their ratio.
 */
export async function measureGrowth(
  stack: ChatStack,
  turns: number,
  rounds: number,
  firstToken: FirstToken,
  direct: FirstTokenDirect,
): Promise<string> {
  const caller = await stack.caller();
  const tokens = stack.app.get(TokenCounter);
  const early: TurnCost[] = [];
  const late: TurnCost[] = [];
  const fresh: TurnCost[] = [];
  const turn = async (conversation: string, content: string): Promise<TurnCost> => {
    const ttftMs = await firstToken(`${stack.base}/conversations/${conversation}/messages`, caller, { content });
    const line = stack.logs.filter((l) => l.includes('"Answer ended"')).at(-1) ?? '{}';
    const logged = JSON.parse(line) as { preflightMs: number; exchangeMs: number; firstTokenMs: number };
    const body = stack.sim.requests.at(-1)?.body ?? {};
    stack.sim.requests.length = 0; // the simulator keeps every body it got: not a growing heap over the run
    return { ttftMs, ...logged, ...(await replay(body)) };
  };
  const replay = async (body: Record<string, unknown>) => {
    const text = JSON.stringify(body);
    const messages = (body.messages ?? []) as { role: 'user' | 'assistant'; content: string }[];
    const history = messages
      .slice(0, -1)
      .map((m, i) => ({ id: `h${i}:${m.content.length}`, ...m }))
      .reverse();
    const fitMs = timed(() =>
      fitContext({
        system: null,
        history,
        prompt: messages.at(-1)?.content ?? '',
        budget: 8_000,
        count: (t) => tokens.count(t),
        countTurn: (t) => tokens.countStored(t.id, t.content),
        bound: (t) => TokenCounter.byteBound(t),
      }),
    );
    const stringifyMs = timed(() => JSON.stringify(body));
    return { directMs: await direct(body), bodyBytes: Buffer.byteLength(text), fitMs, stringifyMs };
  };
  for (let round = 0; round < rounds; round++) {
    const long = await stack.conversation(caller);
    for (let n = 0; n < turns; n++) {
      const content = `question ${n}: ${'lorem ipsum dolor sit amet '.repeat(8)}`;
      const cost = await turn(long, content);
      if (n < WINDOW) early.push(cost);
      if (n >= turns - WINDOW) late.push(cost);
      if (n >= turns - WINDOW) fresh.push(await turn(await stack.conversation(caller), content));
    }
  }
  const rows: [string, keyof TurnCost][] = [
    ['TTFT through the orchestrator', 'ttftMs'],
    ['preflight (server)', 'preflightMs'],
    ['  of which the exchange statement', 'exchangeMs'],
    ['first token written (server)', 'firstTokenMs'],
    ['same body straight to the simulator', 'directMs'],
    ['fitContext (in-process)', 'fitMs'],
    ['JSON.stringify of the body', 'stringifyMs'],
    ['provider request body, bytes', 'bodyBytes'],
  ];
  const lines = rows.map(([name, key]) => {
    const [a, b, c] = [median(early, key), median(fresh, key), median(late, key)];
    return `${name.padEnd(38)} turns 1-10 ${fmt(a)}  fresh ${fmt(b)}  turns ${turns - WINDOW + 1}-${turns} ${fmt(c)}  ratio ${(c / b).toFixed(2)}  +${fmt(c - b)}`;
  });
  const title = `growth: ${rounds} conversation(s) of ${turns} turns; medians of ${WINDOW * rounds}`;
  return [title, ...lines].join('\n') + '\n';
}

function timed(work: () => unknown): number {
  const reps = 50;
  const started = performance.now();
  for (let i = 0; i < reps; i++) work();
  return (performance.now() - started) / reps;
}

function median(costs: TurnCost[], key: keyof TurnCost): number {
  const xs = costs.map((c) => c[key]).sort((a, b) => a - b);
  return xs[Math.floor(xs.length / 2)] ?? NaN;
}

function fmt(n: number): string {
  return (Math.abs(n) >= 1000 ? n.toFixed(0) : n.toFixed(3)).padStart(8);
}
