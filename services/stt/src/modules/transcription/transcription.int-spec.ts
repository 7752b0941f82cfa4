import { randomUUID } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BILLING_GATE_FIELDS, billingGateKey, UsageRecordedV1 } from '@parley/contracts';
import { infra, Speech, waitFor, type TopicReader } from '@parley/testing';
import { type Caller, SttStack } from '../../testing/stt-stack';
import { SttUsage } from '../usage/stt-usage';

const SENTENCE = 'The quick brown fox jumps over the lazy dog.';
/** Words the base model gets right on this espeak-ng sentence, whatever it makes of the rest. */
const expectFox = (text: string) => {
  // Most of the sentence's words, not all: Whisper's temperature fallback (on low confidence, e.g. a
  // loaded machine's resampled audio) samples, so a word may differ between runs ("brown" → "round").
  const heard = new Set(text.toLowerCase().match(/[a-z]+/g) ?? []);
  const words = SENTENCE.toLowerCase().match(/[a-z]+/g) ?? [];
  expect(words.filter((w) => heard.has(w)).length / words.length, text).toBeGreaterThanOrEqual(0.7);
};

describe('uploads: POST /transcriptions and the OpenAI-compatible /audio/transcriptions (real faster-whisper)', () => {
  let stack: SttStack;
  let speech: Speech;
  let wav: string;
  let redis: Redis;
  let usage: TopicReader;
  let caller: Caller;

  beforeAll(async () => {
    // One worker, no queue: a second job while one runs is refused at once (stt_busy).
    stack = await SttStack.start({
      STT_QUEUE_MAX: '0',
      STT_MAX_UPLOAD_BYTES: '700000',
      STT_MAX_DURATION_SECONDS: '8',
    });
    speech = await Speech.folder();
    wav = await speech.say('fox', SENTENCE);
    redis = new Redis(infra().REDIS_URL);
    usage = await stack.readTopic(UsageRecordedV1);
    caller = await stack.caller();
  }, 300_000);

  afterAll(async () => {
    await usage?.stop();
    redis?.disconnect();
    await stack?.stop();
  });

  it('readiness names the engine and both models, up', async () => {
    const res = await fetch(`${stack.base}/health/ready`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { checks: Record<string, { status: string }> };
    expect(body.checks['stt-engine']?.status).toBe('up');
    expect(body.checks['stt-model-base']?.status).toBe('up');
    expect(body.checks['stt-model-tiny']?.status).toBe('up');
  });

  it.each(['wav', 'mp3', 'm4a', 'ogg', 'webm', 'flac'] as const)(
    'transcribes real speech sent as %s, recognised by its bytes',
    async (format) => {
      const file = format === 'wav' ? wav : await speech.convert(wav, format);
      // A misleading name and type: only the bytes count.
      const res = await stack.upload(caller, file, { filename: 'recording.bin' });
      expect(res.status, res.text).toBe(200);
      expectFox(res.body.text);
      expect(res.body).toMatchObject({ task: 'transcribe', language: 'en' });
      expect(res.body.duration).toBeGreaterThan(2);
      expect(res.body.duration).toBeLessThan(5);
      expect(res.body.segments.length).toBeGreaterThan(0);
      expect(res.body.segments[0]).toMatchObject({ id: 0, start: expect.any(Number), end: expect.any(Number) });
    },
  );

  it('takes odd sample rates and channel counts (44.1 kHz stereo, 8 kHz mono)', async () => {
    for (const [name, rate, channels] of [
      ['stereo', 44_100, 2],
      ['narrow', 8_000, 1],
    ] as const) {
      const file = await speech.say(name, SENTENCE, { rate, channels });
      const res = await stack.upload(caller, file);
      expect(res.status, res.text).toBe(200);
      // Most of the sentence's words, not all: 8 kHz telephone audio loses detail, and Whisper's
      // temperature fallback (on low confidence) samples, so a word may differ between runs.
      const heard = new Set(res.body.text.toLowerCase().match(/[a-z]+/g) ?? []);
      const words = SENTENCE.toLowerCase().match(/[a-z]+/g) ?? [];
      expect(words.filter((w) => heard.has(w)).length / words.length, res.body.text).toBeGreaterThanOrEqual(0.6);
    }
  });

  it('answers the OpenAI response formats json, text, verbose_json, srt and vtt', async () => {
    const openAi = (format?: string) =>
      stack.upload(caller, wav, {
        path: '/audio/transcriptions',
        fields: { model: 'whisper-1', language: 'en', ...(format ? { response_format: format } : {}) },
      });
    const json = await openAi();
    expect(json.status).toBe(200);
    expect(Object.keys(json.body)).toEqual(['text']);
    expectFox(json.body.text);
    const text = await openAi('text');
    expect(text.headers.get('content-type')).toMatch(/^text\/plain/);
    expectFox(text.text);
    const verbose = await openAi('verbose_json');
    expect(verbose.body).toMatchObject({ task: 'transcribe', language: 'en', usageId: expect.any(String) });
    const srt = await openAi('srt');
    expect(srt.text).toMatch(/^1\n00:00:00,000 --> 00:00:0\d,\d{3}\n.*lazy dog/is);
    const vtt = await openAi('vtt');
    expect(vtt.headers.get('content-type')).toMatch(/^text\/vtt/);
    expect(vtt.text).toMatch(/^WEBVTT\n\n00:00:00\.000 --> 00:00:0\d\.\d{3}\n/);
  });

  it('records usage.recorded.v1 once per transcription (kind stt_seconds, the audio seconds, its usage id)', async () => {
    const other = await stack.caller();
    const res = await stack.upload(other, wav);
    expect(res.status).toBe(200);
    const mine = () => usage.messages.filter((m) => m.value?.includes(res.body.usageId as string));
    await waitFor(() => mine().length > 0, { timeoutMs: 20_000 });
    expect(mine()).toHaveLength(1);
    expect(JSON.parse(mine()[0]?.value ?? '{}')).toMatchObject({
      usageId: res.body.usageId,
      tenantId: other.tenantId,
      userId: other.userId,
      kind: 'stt_seconds',
      quantity: res.body.duration,
      provider: 'faster-whisper',
      // The embedded engine runs on the platform's CPUs: no upstream bills for it.
      costMicros: 0,
    });
    expect(Number(await redis.get(SttUsage.key(other.tenantId, new Date())))).toBeCloseTo(res.body.duration, 2);
  });

  it('refuses with 429 quota_exceeded, the reset time and Retry-After once the month’s minutes are used, before any work; another tenant is not affected', async () => {
    await stack.setSttMinutes('free', 1);
    const spent = await stack.caller('free');
    const fresh = await stack.caller('free');
    await redis.set(SttUsage.key(spent.tenantId, new Date()), '60');
    const res = await stack.upload(spent, wav);
    expect(res.status).toBe(429);
    const now = new Date();
    const resetAt = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1)).toISOString();
    expect(res.body.error).toMatchObject({ code: 'quota_exceeded', details: { limitMinutes: 1, resetAt } });
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    const ok = await stack.upload(fresh, wav);
    expect(ok.status).toBe(200);
    expect(Number(await redis.get(SttUsage.key(spent.tenantId, new Date())))).toBe(60);
  });

  it('reads billing’s gate before any work: 429 budget_exceeded for a used-up member budget, 402 payment_required past the grace period', async () => {
    const member = await stack.caller('enterprise');
    const userId = member.userId ?? randomUUID();
    const gate = billingGateKey(member.tenantId);
    const nextMonth = Math.floor(Date.now() / 1000) + 3600;
    await redis.hset(gate, BILLING_GATE_FIELDS.member(userId), String(nextMonth));
    const budget = await stack.upload(member, wav);
    expect(budget.status).toBe(429);
    expect(budget.body.error).toMatchObject({ code: 'budget_exceeded', details: { scope: 'member' } });
    expect(Number(budget.headers.get('retry-after'))).toBeGreaterThan(0);
    // Another member of the same tenant is not held by her budget; a past reset is ignored.
    expect((await stack.upload({ ...member, userId: randomUUID() }, wav)).status).toBe(200);
    await redis.hset(gate, BILLING_GATE_FIELDS.member(userId), String(nextMonth - 7200));
    expect((await stack.upload(member, wav)).status).toBe(200);
    await redis.hset(gate, BILLING_GATE_FIELDS.payment, String(Math.floor(Date.now() / 1000) - 1));
    const unpaid = await stack.upload(member, wav);
    expect(unpaid.status).toBe(402);
    expect(unpaid.body.error.code).toBe('payment_required');
    await redis.del(gate);
  });

  it('bounds the duration of one upload by the tenant’s remaining minutes too (413 audio_too_long)', async () => {
    const short = await stack.caller('free');
    await redis.set(SttUsage.key(short.tenantId, new Date()), '58');
    const res = await stack.upload(short, wav);
    expect(res.status).toBe(413);
    expect(res.body.error).toMatchObject({ code: 'audio_too_long', details: { limitSeconds: 2 } });
  });

  it('refuses bad input with clear codes: text renamed .wav, truncated, empty, too big, too long, a huge header, no file', async () => {
    const dir = speech.dir;
    const text = join(dir, 'notes.wav');
    await writeFile(text, 'this is not audio, only text in a file named .wav\n'.repeat(20));
    expect((await stack.upload(caller, text)).body.error.code).toBe('unsupported_media_type');
    expect((await stack.upload(caller, text)).status).toBe(415);

    const whole = await readFile(wav);
    const truncated = await stack.upload(caller, whole.subarray(0, 40), { filename: 'cut.wav' });
    expect(truncated.status).toBe(400);
    expect(truncated.body.error.code).toBe('audio_invalid');

    const empty = await stack.upload(caller, Buffer.alloc(0), { filename: 'empty.wav' });
    expect(empty.status).toBe(400);
    expect(empty.body.error.code).toBe('audio_invalid');

    const long = await speech.concat('long', [wav, wav, wav, wav, wav, wav, wav]); // ~24 s, 770 kB
    const big = await stack.upload(caller, long);
    expect(big.status).toBe(413);
    expect(big.body.error.code).toBe('payload_too_large');

    const longFlac = await speech.convert(long, 'flac'); // small enough, but 24 s > 8 s
    const tooLong = await stack.upload(caller, longFlac);
    expect(tooLong.status).toBe(413);
    expect(tooLong.body.error).toMatchObject({ code: 'audio_too_long', details: { limitSeconds: 8 } });

    // A RIFF/WAVE header whose first chunk claims ~2 GB: nothing decodable follows.
    const huge = Buffer.concat([
      Buffer.from('RIFF'),
      Buffer.from([0xff, 0xff, 0xff, 0x7f]),
      Buffer.from('WAVE'),
      Buffer.from('LIST'),
      Buffer.from([0xf0, 0xff, 0xff, 0x7f]),
      Buffer.alloc(4096, 0x41),
    ]);
    const header = await stack.upload(caller, huge, { filename: 'huge.wav' });
    expect(header.status).toBe(400);
    expect(header.body.error.code).toBe('audio_invalid');

    const noFile = await stack.upload(caller, whole, { partName: 'audio' });
    expect(noFile.status).toBe(400);
    const badField = await stack.upload(caller, whole, { fields: { response_format: 'mp4' } });
    expect(badField.status).toBe(400);
    expect(badField.body.error.code).toBe('validation_failed');
    const notMultipart = await stack.send(caller, '/transcriptions', whole, { 'content-type': 'audio/wav' });
    expect(notMultipart.status).toBe(415);
  });

  it('refuses a caller without the gateway’s principal (401) and an API key without stt:write (403)', async () => {
    const anonymous = await stack.upload(null, wav);
    expect(anonymous.status).toBe(401);
    const key = { tenantId: caller.tenantId, apiKeyId: '7b0e7c57-7d1c-4f47-9a55-0b1f3d1c0a11', scopes: ['chat:write'] };
    const refused = await stack.upload(key, wav);
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('insufficient_scope');
    const allowed = await stack.upload({ ...key, scopes: ['stt:write'] }, wav);
    expect(allowed.status).toBe(200);
  });

  it('answers 429 stt_busy with Retry-After when every worker is busy and the queue is full', async () => {
    const first = stack.upload(caller, wav);
    await waitFor(() => stack.pool.status().workers.busy === 1, { timeoutMs: 20_000 });
    const second = await stack.upload(caller, wav);
    expect(second.status).toBe(429);
    expect(second.body.error.code).toBe('stt_busy');
    expect(Number(second.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await first).status).toBe(200);
  });

  it('fails the request clearly (503 stt_worker_failed) when its worker is killed, restarts the worker, meters nothing', async () => {
    const victim = await stack.caller();
    const [pid] = stack.pool.workerPids();
    const pending = stack.upload(victim, wav);
    await waitFor(() => stack.pool.status().workers.busy === 1, { timeoutMs: 20_000 });
    process.kill(pid as number, 'SIGKILL');
    const res = await pending;
    expect(res.status).toBe(503);
    expect(res.body.error.code).toBe('stt_worker_failed');
    expect(await redis.get(SttUsage.key(victim.tenantId, new Date()))).toBeNull();
    await stack.ready();
    expect(stack.pool.workerPids()).not.toContain(pid);
    const again = await stack.upload(victim, wav);
    expect(again.status).toBe(200);
    expectFox(again.body.text);
  });
});
