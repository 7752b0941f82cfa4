import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BILLING_GATE_FIELDS,
  billingCapsKey,
  billingReservationsKey,
  billingReservedKey,
  STT_STREAM_LIMITS,
} from '@parley/contracts';
import { DeepgramLiveServer, infra, OpenAiTranscriptionServer, waitFor } from '@parley/testing';
import { StreamClient } from '../../testing/stream-client';
import { type Caller, headersOf, streamUrl, SttStack, toneWav } from '../../testing/stt-stack';

const KEY = 'sk-budget-platform-0123456789';
const MAX_UPLOAD_SECONDS = 60;
/** whisper-1 at $0.006 a minute: an upload's worst case is the 60 s the service allows. */
const UPLOAD_WORST = Math.ceil((MAX_UPLOAD_SECONDS * 360_000) / 3600);
/** Deepgram nova-3 at $0.0077 a minute: a live session's worst case is its longest length. */
const SESSION_WORST = Math.ceil((STT_STREAM_LIMITS.maxSessionSeconds * 462_000) / 3600);

/**
 * The strict budget cap on the speech paths (docs/billing.md): an upload or a live session reserves
 * its worst case (its longest audio at its engine's price) against every budget that applies, in
 * the admission's one round trip; the recorded cost replaces it (an utterance's moves out of its
 * session's reservation); a failed request gives it back. Billing's caps hash is written here as
 * billing's gate sync writes it.
 */
describe('the strict budget cap on speech: requests already running count against the budget', () => {
  let stack: SttStack;
  let uploads: OpenAiTranscriptionServer;
  let live: DeepgramLiveServer;
  let redis: Redis;
  const wav = toneWav(2);
  const resetAt = () => Math.floor(Date.now() / 1000) + 86_400;

  beforeAll(async () => {
    uploads = await OpenAiTranscriptionServer.start({ apiKey: KEY, transcript: () => 'heard' });
    live = await DeepgramLiveServer.start({ apiKey: KEY, script: ['first words', 'second words'] });
    stack = await SttStack.start(
      {
        STT_UPSTREAM_BASE_URL: uploads.baseUrl,
        STT_UPSTREAM_API_KEY: KEY,
        STT_UPSTREAM_MODEL: 'whisper-1',
        STT_MAX_DURATION_SECONDS: String(MAX_UPLOAD_SECONDS),
        STT_STREAM_UPSTREAM_BASE_URL: live.baseUrl,
        STT_STREAM_UPSTREAM_API_KEY: KEY,
        STT_STREAM_UPSTREAM_MODEL: 'nova-3',
      },
      { engine: false },
    );
    redis = new Redis(infra().REDIS_URL);
  }, 120_000);

  afterAll(async () => {
    redis?.disconnect();
    await stack?.stop();
    await uploads?.stop();
    await live?.stop();
  });

  const setCap = (tenantId: string, field: string, capMicros: number, spentMicros = 0) =>
    redis.hset(billingCapsKey(tenantId), field, `${capMicros} ${spentMicros} ${resetAt()}`);
  const reserved = async (tenantId: string, field = 'tenant') =>
    Number((await redis.hget(billingReservedKey(tenantId), field)) ?? 0);
  const entries = (tenantId: string) => redis.hgetall(billingReservationsKey(tenantId));

  it('5 uploads at once with room for 2 at worst case: 2 reach the upstream, 3 are refused; the real costs replace the reservations', async () => {
    const caller = await stack.caller();
    await setCap(caller.tenantId, BILLING_GATE_FIELDS.tenant, 2 * UPLOAD_WORST + Math.floor(UPLOAD_WORST / 2));
    const before = uploads.calls.length;
    const release = uploads.hold();
    const sent = Array.from({ length: 5 }, () => stack.upload(caller, wav));
    await waitFor(() => uploads.calls.length - before === 2, { what: 'two uploads at the upstream' });
    expect(await reserved(caller.tenantId)).toBe(2 * UPLOAD_WORST);
    release();
    const answers = await Promise.all(sent);
    expect(answers.map((a) => a.status).sort()).toEqual([200, 200, 429, 429, 429]);
    for (const refused of answers.filter((a) => a.status === 429)) {
      expect(refused.body).toMatchObject({ error: { code: 'budget_exceeded', details: { scope: 'tenant' } } });
    }
    expect(uploads.calls.length - before).toBe(2);
    // Two seconds of whisper-1 each: 200 micro-USD, reserved under each upload's source id until the ledger has it.
    expect(await reserved(caller.tenantId)).toBe(400);
    const member = `member:${caller.userId ?? ''}`;
    expect(Object.values(await entries(caller.tenantId))).toEqual([`200 tenant ${member}`, `200 tenant ${member}`]);
  });

  it('an upload the upstream fails gives its worst case back', async () => {
    const caller = await stack.caller();
    await setCap(caller.tenantId, BILLING_GATE_FIELDS.tenant, UPLOAD_WORST);
    uploads.answerNext({ status: 500, body: { error: { message: 'down', type: 'server_error' } } });
    expect((await stack.upload(caller, wav)).status).toBe(502);
    expect(await reserved(caller.tenantId)).toBe(0);
    expect(await entries(caller.tenantId)).toEqual({});
    // The whole budget is free again for the next one.
    expect((await stack.upload(caller, wav)).status).toBe(200);
  });

  it('a member’s budget bounds that member only; another tenant’s reservations never count', async () => {
    const member = await stack.caller();
    const colleague: Caller = { ...member, userId: crypto.randomUUID() };
    await setCap(member.tenantId, BILLING_GATE_FIELDS.member(member.userId ?? ''), UPLOAD_WORST - 1);
    expect((await stack.upload(member, wav)).body).toMatchObject({
      error: { code: 'budget_exceeded', details: { scope: 'member' } },
    });
    expect((await stack.upload(colleague, wav)).status).toBe(200);
    const other = await stack.caller();
    // Both tenants have room for one more upload at worst case (this one also holds the colleague's
    // settled cost until billing's ledger has it); the other one's runs first.
    await setCap(other.tenantId, BILLING_GATE_FIELDS.tenant, UPLOAD_WORST);
    await setCap(member.tenantId, BILLING_GATE_FIELDS.tenant, (await reserved(member.tenantId)) + UPLOAD_WORST);
    const before = uploads.calls.length;
    const release = uploads.hold();
    const running = stack.upload(other, wav);
    await waitFor(async () => (await reserved(other.tenantId)) === UPLOAD_WORST, { what: 'the reservation' });
    // The other tenant is at its cap while its upload runs; this one is admitted beside it.
    const mine = stack.upload(colleague, wav);
    await waitFor(() => uploads.calls.length - before === 2, { what: 'both uploads at the upstream' });
    release();
    expect((await running).status).toBe(200);
    expect((await mine).status).toBe(200);
  });

  it('a live session reserves its worst case; each utterance’s cost moves out of it, and the rest goes back at the end', async () => {
    const caller = await stack.caller();
    await setCap(caller.tenantId, BILLING_GATE_FIELDS.tenant, SESSION_WORST + UPLOAD_WORST - 1);
    const client = await StreamClient.open(streamUrl(stack), await headersOf(caller));
    client.json({ type: 'stt.start', format: 'pcm16', language: 'en', mode: 'push-to-talk' });
    await client.next('stt.started', 1, 30_000);
    expect(await reserved(caller.tenantId)).toBe(SESSION_WORST);
    // No room for an upload's worst case beside the running session.
    expect((await stack.upload(caller, wav)).status).toBe(429);
    const tone = Buffer.alloc(32_000 * 2);
    for (let i = 0; i < tone.length / 2; i += 1) {
      tone.writeInt16LE(Math.round(6000 * Math.sin((2 * Math.PI * 300 * i) / 16_000)), i * 2);
    }
    await client.audio(tone);
    client.json({ type: 'stt.stop' });
    const final = await client.next('stt.final', 1, 30_000);
    await client.next('stt.stopped', 1, 30_000);
    client.close();
    const seconds = final.end - final.start;
    const cost = Math.round((462_000 * seconds) / 3600);
    await waitFor(async () => Object.keys(await entries(caller.tenantId)).length === 1, {
      what: 'the session reservation given back',
    });
    const held = await entries(caller.tenantId);
    expect(Object.keys(held)[0]).toMatch(/^stream:[0-9a-f-]{36}:0$/);
    expect(Object.values(held)).toEqual([`${cost} tenant member:${caller.userId ?? ''}`]);
    expect(await reserved(caller.tenantId)).toBe(cost);
  });
});
