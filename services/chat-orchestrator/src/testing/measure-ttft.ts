import 'reflect-metadata';
import { ensureInfra, summarize, type LatencyStats } from '@parley/testing';
import { ChatStack, headersOf, type Caller } from './chat-stack';
import { measureGrowth } from './measure-growth';
import { readSse } from './sse-client';

/**
 * Measures the orchestrator's share of time to first token, in-process against the LLM simulator:
 * the server-side work before the provider call (`preflightMs` of each answer's log line), and
 * client-side TTFT through the orchestrator next to TTFT straight from the simulator, sequentially.
 *
 *   bash scripts/build-one.sh services/chat-orchestrator libs/testing
 *   node services/chat-orchestrator/dist/testing/measure-ttft.js [answers=300] [anthropic|openai]
 *
 * Growth with history (`growth`): one conversation of `turns` turns, its first and last ten turns
 * against first turns of fresh conversations timed beside them, part by part (measure-growth.ts):
 *
 *   node services/chat-orchestrator/dist/testing/measure-ttft.js growth [turns=100] [anthropic|openai] [rounds=3] [uncached]
 */
async function main(): Promise<void> {
  process.env.PARLEY_TEST_INFRA ??= JSON.stringify(ensureInfra());
  const growth = process.argv[2] === 'growth';
  const args = process.argv.slice(growth ? 3 : 2);
  const total = Number(args[0] ?? (growth ? 100 : 300));
  const kind = args[1] === 'anthropic' ? 'anthropic' : 'openai';
  // `uncached` (growth mode): without the history cache, every turn reads the whole history again.
  const uncached = growth && args[3] === 'uncached' ? { CHAT_HISTORY_CACHE_ENTRIES: '0' } : {};
  const stack = await ChatStack.start({ CHAT_PROVIDER_CHAIN: kind, LOG_LEVEL: 'info', ...uncached });
  try {
    if (growth) {
      const rounds = Number(args[2] ?? 3);
      const report = await measureGrowth(stack, total, rounds, firstToken, (body) =>
        firstTokenDirect(stack, kind, body),
      );
      process.stdout.write(`${kind} target, ${report}`);
      return;
    }
    const caller = await stack.caller();
    const through: number[] = [];
    const direct: number[] = [];
    let conversation = await stack.conversation(caller);
    for (let i = 0; i < total + 30; i++) {
      if (i % 10 === 0) conversation = await stack.conversation(caller);
      const content = `question ${i}: ${'lorem ipsum dolor sit amet '.repeat(8)}`;
      const a = await firstToken(`${stack.base}/conversations/${conversation}/messages`, caller, { content });
      const b = await firstTokenDirect(stack, kind, {
        model: kind === 'openai' ? 'gpt-4.1-mini' : 'claude-sonnet-4-5',
        max_tokens: 1024,
        stream: true,
        messages: [{ role: 'user', content }],
      });
      if (i >= 30) {
        through.push(a);
        direct.push(b);
      }
    }
    const ended = stack.logs
      .filter((line) => line.includes('"Answer ended"'))
      .slice(30)
      .map((line) => JSON.parse(line) as { preflightMs: number; firstTokenMs: number });
    const preflight = ended.map((line) => line.preflightMs);
    const firstWritten = ended.map((line) => line.firstTokenMs);
    const show = (name: string, s: LatencyStats) =>
      `${name.padEnd(34)} p50 ${s.p50Ms.toFixed(2)} ms  p90 ${s.p90Ms.toFixed(2)} ms  p99 ${s.p99Ms.toFixed(2)} ms  (n=${s.count})`;
    process.stdout.write(
      [
        `${kind} target, ${total} sequential answers, history up to 9 turns`,
        show('preflight (server, before provider)', summarize(preflight, 1)),
        show('first token written (server)', summarize(firstWritten, 1)),
        show('TTFT through the orchestrator', summarize(through, 1)),
        show('TTFT straight from the simulator', summarize(direct, 1)),
      ].join('\n') + '\n',
    );
  } finally {
    await stack.stop();
  }
}

async function firstToken(url: string, caller: Caller, body: unknown): Promise<number> {
  const started = performance.now();
  let at = 0;
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      ...(await headersOf(caller)),
      'content-type': 'application/json',
      accept: 'text/event-stream',
    },
    body: JSON.stringify(body),
  });
  await readSse(res.body, (frame) => {
    if (frame.event === 'token' && at === 0) at = performance.now();
  });
  return at - started;
}

async function firstTokenDirect(
  stack: ChatStack,
  kind: 'anthropic' | 'openai',
  body: Record<string, unknown>,
): Promise<number> {
  const started = performance.now();
  const url =
    kind === 'openai' ? `${stack.sim.openaiBaseUrl}/chat/completions` : `${stack.sim.anthropicBaseUrl}/v1/messages`;
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: 'Bearer sk-direct',
      'x-api-key': 'sk-direct',
      'anthropic-version': '2023-06-01',
    },
    body: JSON.stringify(body),
  });
  let at = 0;
  let text = '';
  const decoder = new TextDecoder();
  for await (const chunk of res.body ?? []) {
    text += decoder.decode(chunk as Uint8Array, { stream: true });
    if (at === 0 && /"(content|text)":"[^"]/.test(text)) at = performance.now();
  }
  return at - started;
}

void main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
