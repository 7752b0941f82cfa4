/**
 * Local demo model benchmark: load time, time to first token over HTTP, decode tokens per second
 * and resident memory, for 1 and 2 threads, with the prompts a newcomer would try.
 * Writes docs/benchmarks/local-model.{md,json}.
 */
import { writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { LocalLlmServer } from '@parley/local-llm';
import { summarize } from '@parley/testing';

const PROMPTS = [
  'Hello! What can you do?',
  'Give me three tips to sleep better.',
  'What is the capital of France?',
  'Write a haiku about the sea.',
];

interface Sample {
  firstTokenMs: number;
  totalMs: number;
  completionTokens: number;
  decodeTokensPerSec: number;
}

async function ask(baseUrl: string, content: string, maxTokens: number): Promise<Sample> {
  const t0 = performance.now();
  const res = await fetch(`${baseUrl}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      model: 'bench',
      stream: true,
      stream_options: { include_usage: true },
      max_tokens: maxTokens,
      messages: [{ role: 'user', content }],
    }),
  });
  if (!res.ok || !res.body) throw new Error(`HTTP ${res.status}`);
  let first = 0;
  let last = 0;
  let completionTokens = 0;
  let buffer = '';
  for await (const part of res.body as unknown as AsyncIterable<Uint8Array>) {
    buffer += Buffer.from(part).toString('utf8');
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const line = buffer.slice(0, end).replace(/^data: /, '');
      buffer = buffer.slice(end + 2);
      if (line === '[DONE]') continue;
      const chunk = JSON.parse(line) as {
        choices: { delta: { content?: string } }[];
        usage?: { completion_tokens: number };
      };
      if (chunk.choices[0]?.delta.content) {
        last = performance.now();
        if (first === 0) first = last;
      }
      if (chunk.usage) completionTokens = chunk.usage.completion_tokens;
    }
  }
  const decodeMs = last - first;
  return {
    firstTokenMs: first - t0,
    totalMs: performance.now() - t0,
    completionTokens,
    decodeTokensPerSec: completionTokens > 1 && decodeMs > 0 ? ((completionTokens - 1) * 1000) / decodeMs : NaN,
  };
}

const round = (n: number, d = 1) => Math.round(n * 10 ** d) / 10 ** d;

async function measure(modelPath: string, threads: number, runs: number, maxTokens: number) {
  const rssBefore = process.memoryUsage().rss;
  const t0 = performance.now();
  const server = await LocalLlmServer.start({ modelPath, threads, contextSize: 2048, maxTokens });
  const loadMs = performance.now() - t0;
  const rssLoaded = process.memoryUsage().rss;
  await ask(server.baseUrl, 'Hi', 4); // warm-up
  const samples: Sample[] = [];
  let peakRss = rssLoaded;
  const started = performance.now();
  for (let i = 0; i < runs; i += 1) {
    for (const prompt of PROMPTS) {
      samples.push(await ask(server.baseUrl, prompt, maxTokens));
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
    }
  }
  const elapsed = performance.now() - started;
  await server.close();
  const speeds = samples.map((s) => s.decodeTokensPerSec).filter((n) => Number.isFinite(n));
  const tokens = samples.reduce((sum, s) => sum + s.completionTokens, 0);
  return {
    threads,
    answers: samples.length,
    loadMs: round(loadMs, 0),
    firstToken: summarize(
      samples.map((s) => s.firstTokenMs),
      elapsed,
    ),
    decodeTokensPerSec: {
      p50: round(summarize(speeds, elapsed).p50Ms),
      min: round(Math.min(...speeds)),
      max: round(Math.max(...speeds)),
    },
    meanCompletionTokens: round(tokens / samples.length),
    overallTokensPerSec: round((tokens * 1000) / elapsed),
    rssModelMb: round((rssLoaded - rssBefore) / 1e6, 0),
    rssPeakMb: round(peakRss / 1e6, 0),
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      model: { type: 'string' },
      runs: { type: 'string', default: '3' },
      'max-tokens': { type: 'string', default: '64' },
    },
  });
  if (!values.model) throw new Error('--model is required (run.sh passes it)');
  const runs = Number(values.runs);
  const maxTokens = Number(values['max-tokens']);
  const loadBefore = loadavg()[0] ?? 0;
  const results = [];
  for (const threads of [1, 2]) {
    const result = await measure(values.model, threads, runs, maxTokens);
    process.stdout.write(`${JSON.stringify(result)}\n`);
    results.push(result);
  }
  const machine = {
    cpus: cpus().length,
    cpu: cpus()[0]?.model ?? '?',
    load1Before: round(loadBefore, 2),
    load1After: round(loadavg()[0] ?? 0, 2),
  };
  const at = new Date().toISOString();
  const root = resolve(__dirname, '../../..');
  writeFileSync(
    resolve(root, 'docs/benchmarks/local-model.json'),
    `${JSON.stringify({ at, machine, runs, maxTokens, results }, null, 2)}\n`,
  );
  const rows = results.map(
    (r) =>
      `| ${r.threads} | ${r.loadMs} | ${r.firstToken.p50Ms.toFixed(0)} / ${r.firstToken.p90Ms.toFixed(0)} | ${r.decodeTokensPerSec.p50} (${r.decodeTokensPerSec.min}–${r.decodeTokensPerSec.max}) | ${r.overallTokensPerSec} | ${r.meanCompletionTokens} | ${r.rssModelMb} | ${r.rssPeakMb} |`,
  );
  const md = `# Local demo model (Gemma 3 270M Q4_K_M, node-llama-cpp 3.21.1, CPU)

\`bash bench/local-model/run.sh [--runs ${runs}] [--max-tokens ${maxTokens}]\`: the model behind its OpenAI-compatible
endpoint (libs/local-llm) in the bench process, ${PROMPTS.length} prompts × ${runs} runs per thread count, one request at a
time, streamed over HTTP on loopback; answers of at most ${maxTokens} tokens (the stop sequences end most earlier).
First token: request sent → first content chunk (prompt evaluation included). Decode: tokens after the first per
second of streaming. Memory: resident set of the process (the model's share = after load − before; the second load reuses
some pages the first freed, so its share reads lower).

Measured ${at} on ${machine.cpus} × ${machine.cpu}, load average ${machine.load1Before} before and ${machine.load1After}
after (the machine is shared: other engineers' builds and tests run at the same time, so these are floors, not
the model's speed on an idle machine).

| threads | load (ms) | first token p50 / p90 (ms) | decode tokens/s p50 (min–max) | tokens/s overall | tokens per answer | model RSS (MB) | peak RSS (MB) |
| ------- | --------- | -------------------------- | ----------------------------- | ---------------- | ----------------- | -------------- | ------------- |
${rows.join('\n')}

\`npm start\` runs it with \`--max-tokens 256\` and the default threads, all cores but one (scripts/start.sh): with two threads on
two shared cores the answers crawl (see the 2-thread row).
`;
  writeFileSync(resolve(root, 'docs/benchmarks/local-model.md'), md);
  process.stdout.write('wrote docs/benchmarks/local-model.{md,json}\n');
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
