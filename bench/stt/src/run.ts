/**
 * Speech to text benchmark (bench/stt/run.sh): the stt service as a process with the real engine
 * (one worker), the committed sentences spoken by espeak-ng. Uploads: word error rate and real-time
 * factor (request time / audio length) of the base model; streaming at real time: first partial after
 * speech starts, final after speech ends (p50/p95); 4 sessions at once: the same and the throughput.
 * Writes docs/benchmarks/stt.{md,json}.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { WebSocket } from 'ws';
import { createDataSource, tenantSchemaName, TenantMigrationRunner } from '@parley/tenancy';
import {
  ensureInfra,
  internalPrincipalHeaders,
  PlatformProcesses,
  REPO_ROOT,
  summarize,
  wavPcm,
  wordErrors,
} from '@parley/testing';

interface StreamSample {
  firstPartialMs: number;
  finalMs: number;
  errors: number;
  words: number;
}

const round = (n: number, digits = 3) => Math.round(n * 10 ** digits) / 10 ** digits;

async function headers(tenantId: string): Promise<Record<string, string>> {
  return internalPrincipalHeaders({
    tid: tenantId,
    knd: 'user',
    uid: randomUUID(),
    sid: randomUUID(),
    role: 'owner',
    plan: 'enterprise',
    rid: `bench-${randomUUID()}`,
  });
}

async function upload(base: string, tenantId: string, wav: Buffer): Promise<{ text: string; ms: number }> {
  const form = new FormData();
  form.append('file', new Blob([wav]), 'speech.wav');
  form.append('language', 'en');
  const started = performance.now();
  const res = await fetch(`${base}/transcriptions`, { method: 'POST', headers: await headers(tenantId), body: form });
  const body = (await res.json()) as { text?: string };
  if (res.status !== 200) throw new Error(`upload answered ${res.status}: ${JSON.stringify(body)}`);
  return { text: body.text ?? '', ms: performance.now() - started };
}

/** One session at real time: the sentence, then 1.5 s of silence (the endpoint needs 700 ms of it). */
async function stream(base: string, tenantId: string, pcm: Buffer, reference: string): Promise<StreamSample> {
  const ws = new WebSocket(`${base.replace(/^http/, 'ws')}/stream`, { headers: await headers(tenantId) });
  await new Promise<void>((ok, fail) => {
    ws.once('open', () => ok());
    ws.once('error', fail);
  });
  let startedAt = 0;
  let speechEndAt = 0;
  let firstPartialAt = 0;
  const final = new Promise<{ text: string; at: number }>((ok, fail) => {
    ws.on('message', (data: Buffer) => {
      const message = JSON.parse(data.toString('utf8')) as { type: string; text?: string; code?: string };
      if (message.type === 'stt.partial' && message.text && !firstPartialAt) firstPartialAt = performance.now();
      if (message.type === 'stt.final') ok({ text: message.text ?? '', at: performance.now() });
      if (message.type === 'stt.error') fail(new Error(`stt.error ${message.code}`));
    });
  });
  ws.send(JSON.stringify({ type: 'stt.start', format: 'pcm16', language: 'en', mode: 'hands-free' }));
  const audio = Buffer.concat([pcm, Buffer.alloc(48_000)]);
  const frame = 3200; // 100 ms
  const t0 = performance.now();
  for (let at = 0, i = 0; at < audio.length; at += frame, i++) {
    const due = t0 + i * 100;
    await new Promise((r) => setTimeout(r, Math.max(0, due - performance.now())));
    if (at === 0) startedAt = performance.now();
    ws.send(audio.subarray(at, at + frame), { binary: true });
    if (at + frame >= pcm.length && !speechEndAt) speechEndAt = performance.now();
  }
  const { text, at } = await final;
  ws.close();
  const { errors, words } = wordErrors(reference, text);
  return {
    firstPartialMs: firstPartialAt ? firstPartialAt - startedAt : NaN,
    finalMs: at - speechEndAt,
    errors,
    words,
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      audio: { type: 'string' },
      threads: { type: 'string', default: '1' },
      beam: { type: 'string', default: '5' },
    },
  });
  if (!values.audio) throw new Error('--audio <dir> (bench/stt/make-audio.sh) is required');
  const sentences = readFileSync(resolve(REPO_ROOT, 'bench/stt/sentences.txt'), 'utf8').split('\n').filter(Boolean);
  const wavs = sentences.map((_, i) =>
    readFileSync(resolve(values.audio as string, `${String(i + 1).padStart(2, '0')}.wav`)),
  );
  const engine = Object.fromEntries(
    readFileSync(0, 'utf8')
      .trim()
      .split('\n')
      .map((line) => line.split('=', 2) as [string, string]),
  );
  const infra = ensureInfra();
  const loadBefore = loadavg()[0] ?? 0;
  const platform = await PlatformProcesses.start({
    services: ['tenant', 'stt'],
    infra,
    env: { LOG_LEVEL: 'error' },
    serviceEnv: {
      stt: {
        ...engine,
        STT_WORKERS: '1',
        STT_CPU_THREADS: values.threads,
        STT_BEAM_SIZE: values.beam,
        STT_QUEUE_MAX: '16',
      },
    },
  });
  try {
    const base = platform.url('stt');
    for (let i = 0; i < 1200 && (await fetch(`${base}/health/ready`)).status !== 200; i++) {
      await new Promise((r) => setTimeout(r, 100));
    }
    const pg = createDataSource({ url: platform.db.url, poolMax: 1, ssl: false }, 'bench-stt');
    await pg.initialize();
    const tenantId = randomUUID();
    const q = pg.createQueryRunner();
    await q.connect();
    await q.startTransaction();
    await q.query(
      `INSERT INTO control.tenants (id, slug, name, plan_id, deployment_mode, schema_name) VALUES ($1, $2, $2, 'enterprise', 'cloud', $3)`,
      [tenantId, `bench-${tenantId.slice(0, 8)}`, tenantSchemaName(tenantId)],
    );
    await new TenantMigrationRunner(pg).provision(q, tenantId);
    await q.commitTransaction();
    await q.release();
    await pg.destroy();

    // Uploads, one at a time.
    let errors = 0;
    let words = 0;
    let audioSeconds = 0;
    let processingMs = 0;
    const uploadMs: number[] = [];
    const misses: string[] = [];
    for (const [i, wav] of wavs.entries()) {
      const seconds = wavPcm(wav).length / 32_000;
      const result = await upload(base, tenantId, wav);
      const wer = wordErrors(sentences[i] as string, result.text);
      errors += wer.errors;
      words += wer.words;
      audioSeconds += seconds;
      processingMs += result.ms;
      uploadMs.push(result.ms);
      if (wer.errors) misses.push(`${sentences[i]} → ${result.text}`);
    }
    // Streaming, one session at a time, then 4 at once.
    const single: StreamSample[] = [];
    for (const [i, wav] of wavs.entries())
      single.push(await stream(base, tenantId, wavPcm(wav), sentences[i] as string));
    const concurrentStarted = performance.now();
    const concurrent: StreamSample[] = [];
    for (let round4 = 0; round4 < 2; round4++) {
      const batch = [0, 1, 2, 3].map((k) => (round4 * 4 + k) % wavs.length);
      concurrent.push(
        ...(await Promise.all(
          batch.map((i) => stream(base, tenantId, wavPcm(wavs[i] as Buffer), sentences[i] as string)),
        )),
      );
    }
    const concurrentMs = performance.now() - concurrentStarted;
    const concurrentAudio = [0, 1, 2, 3, 4, 5, 6, 7].reduce((n, i) => n + wavPcm(wavs[i] as Buffer).length / 32_000, 0);
    const p = (xs: number[], q: number) => summarize(xs.filter(Number.isFinite), 1)[q === 50 ? 'p50Ms' : 'p90Ms'];
    const p95 = (xs: number[]) => {
      const sorted = xs.filter(Number.isFinite).sort((a, b) => a - b);
      return sorted[Math.ceil(0.95 * sorted.length) - 1] ?? NaN;
    };
    const partialCount = (samples: StreamSample[]) => samples.filter((s) => Number.isFinite(s.firstPartialMs)).length;
    const werOf = (samples: StreamSample[]) =>
      samples.reduce((n, s) => n + s.errors, 0) /
      Math.max(
        1,
        samples.reduce((n, s) => n + s.words, 0),
      );
    const result = {
      date: new Date().toISOString(),
      machine: { cpus: cpus().length, load1Before: round(loadBefore, 2), load1After: round(loadavg()[0] ?? 0, 2) },
      engine: {
        model: 'whisper-base int8',
        partialModel: 'whisper-tiny.en int8',
        threads: Number(values.threads),
        beam: Number(values.beam),
      },
      sentences: sentences.length,
      upload: {
        words,
        wer: round(errors / words, 4),
        audioSeconds: round(audioSeconds, 1),
        rtf: round(processingMs / 1000 / audioSeconds, 3),
        requestMs: { p50: round(p(uploadMs, 50), 0), p90: round(p(uploadMs, 90), 0) },
        misses,
      },
      streaming: {
        firstPartialMs: {
          p50: round(
            p(
              single.map((s) => s.firstPartialMs),
              50,
            ),
            0,
          ),
          p95: round(p95(single.map((s) => s.firstPartialMs)), 0),
        },
        finalAfterSpeechMs: {
          p50: round(
            p(
              single.map((s) => s.finalMs),
              50,
            ),
            0,
          ),
          p95: round(p95(single.map((s) => s.finalMs)), 0),
        },
        wer: round(werOf(single), 4),
        sessionsWithPartial: partialCount(single),
      },
      concurrent4: {
        sessions: concurrent.length,
        finalAfterSpeechMs: {
          p50: round(
            p(
              concurrent.map((s) => s.finalMs),
              50,
            ),
            0,
          ),
          p95: round(p95(concurrent.map((s) => s.finalMs)), 0),
        },
        firstPartialMs: {
          p50: round(
            p(
              concurrent.map((s) => s.firstPartialMs),
              50,
            ),
            0,
          ),
        },
        sessionsWithPartial: partialCount(concurrent),
        audioSecondsPerWallSecond: round(concurrentAudio / (concurrentMs / 1000), 2),
        wer: round(werOf(concurrent), 4),
      },
    };
    writeFileSync(resolve(REPO_ROOT, 'docs/benchmarks/stt.json'), `${JSON.stringify(result, null, 2)}\n`);
    writeFileSync(resolve(REPO_ROOT, 'docs/benchmarks/stt.md'), report(result));
    console.log(JSON.stringify(result, null, 2));
  } finally {
    await platform.stop();
  }
}

function report(r: {
  date: string;
  machine: { cpus: number; load1Before: number; load1After: number };
  engine: { threads: number; beam: number };
  sentences: number;
  upload: {
    words: number;
    wer: number;
    audioSeconds: number;
    rtf: number;
    requestMs: { p50: number; p90: number };
    misses: string[];
  };
  streaming: {
    firstPartialMs: { p50: number; p95: number };
    finalAfterSpeechMs: { p50: number; p95: number };
    wer: number;
    sessionsWithPartial: number;
  };
  concurrent4: {
    sessions: number;
    finalAfterSpeechMs: { p50: number; p95: number };
    firstPartialMs: { p50: number };
    sessionsWithPartial: number;
    audioSecondsPerWallSecond: number;
    wer: number;
  };
}): string {
  const pct = (x: number) => `${round(x * 100, 1)}%`;
  return `# Speech to text benchmark

\`bash bench/stt/run.sh\` (${r.date}; ${r.machine.cpus} cores shared with other work, load average ${r.machine.load1Before}
before, ${r.machine.load1After} after). The stt service as a process with one worker (faster-whisper 1.2.1, int8, ${r.engine.threads}
thread(s)); ${r.sentences} sentences (\`bench/stt/sentences.txt\`) spoken by espeak-ng (en-us, 150 wpm) by
\`bench/stt/make-audio.sh\`. Raw figures: [stt.json](stt.json).

| measure | result | target |
| --- | --- | --- |
| upload WER, Whisper base, beam ${r.engine.beam} (${r.upload.words} words) | ${pct(r.upload.wer)} | ≤ 6% |
| upload real-time factor (request time / audio, ${r.upload.audioSeconds} s of audio; ffmpeg decoding and HTTP included) | ${r.upload.rtf} | ≤ 0.5 |
| upload request time p50 / p90 | ${r.upload.requestMs.p50} / ${r.upload.requestMs.p90} ms | |
| streaming (1 session, real time): first partial with text after speech starts, p50 / p95 (${r.streaming.sessionsWithPartial} of ${r.sentences} sessions had one) | ${r.streaming.firstPartialMs.p50} / ${r.streaming.firstPartialMs.p95} ms | |
| streaming: final after speech ends, p50 / p95 (700 ms of it is the silence that ends the utterance) | ${r.streaming.finalAfterSpeechMs.p50} / ${r.streaming.finalAfterSpeechMs.p95} ms | ≤ 1000 ms p95 |
| streaming finals WER | ${pct(r.streaming.wer)} | |
| 4 sessions at once (${r.concurrent4.sessions} sessions): final after speech ends p50 / p95 | ${r.concurrent4.finalAfterSpeechMs.p50} / ${r.concurrent4.finalAfterSpeechMs.p95} ms | |
| 4 at once: first partial with text p50 (${r.concurrent4.sessionsWithPartial} of ${r.concurrent4.sessions} sessions had one) | ${r.concurrent4.firstPartialMs.p50} ms | |
| 4 at once: audio seconds transcribed per wall second | ${r.concurrent4.audioSecondsPerWallSecond} | |
| 4 at once: finals WER | ${pct(r.concurrent4.wer)} | |

Upload misses (reference → transcript):

${r.upload.misses.map((m) => `- ${m}`).join('\n') || '- none'}
`;
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
