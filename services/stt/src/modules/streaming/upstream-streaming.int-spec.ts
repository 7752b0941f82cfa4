import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageRecordedV1 } from '@parley/contracts';
import { tenantSchemaName } from '@parley/tenancy';
import { DeepgramLiveServer, infra, waitFor, type TopicReader } from '@parley/testing';
import { StreamClient } from '../../testing/stream-client';
import { type Caller, headersOf, streamUrl, SttStack } from '../../testing/stt-stack';
import { SttUsage } from '../usage/stt-usage';

const KEY = 'dg-platform-key-0123456789';
const TENANT_KEY = 'dg-tenant-key-9876543210';
const SCRIPT = ['hello from the first utterance', 'and here is the second one', 'a third and last'];

/** 16 kHz s16le PCM: a 300 Hz tone (speech to the upstream) or silence. */
function pcm(...parts: ['tone' | 'silence', number][]): Buffer {
  return Buffer.concat(
    parts.map(([kind, seconds]) => {
      const samples = Math.round(seconds * 16_000);
      const out = Buffer.alloc(samples * 2);
      if (kind === 'tone') {
        for (let i = 0; i < samples; i += 1)
          out.writeInt16LE(Math.round(6000 * Math.sin((2 * Math.PI * 300 * i) / 16_000)), i * 2);
      }
      return out;
    }),
  );
}

/** A session started (`refused`: one expected to end before `stt.started`, not waited for). */
async function session(
  stack: SttStack,
  caller: Caller,
  start: Record<string, unknown>,
  refused = false,
): Promise<StreamClient> {
  const client = await StreamClient.open(streamUrl(stack), await headersOf(caller));
  client.json({ type: 'stt.start', format: 'pcm16', language: 'en', ...start });
  if (!refused) await client.next('stt.started', 1, 30_000);
  return client;
}

describe('live sessions relayed to a Deepgram-protocol upstream (same /stream protocol for clients)', () => {
  let stack: SttStack;
  let platform: DeepgramLiveServer;
  let own: DeepgramLiveServer;
  let usage: TopicReader;
  let redis: Redis;

  beforeAll(async () => {
    platform = await DeepgramLiveServer.start({ apiKey: KEY, script: SCRIPT });
    own = await DeepgramLiveServer.start({ apiKey: TENANT_KEY, script: ['tenant words only'], failAfterBytes: 64_000 });
    stack = await SttStack.start(
      { STT_STREAM_UPSTREAM_API_KEY: KEY, STT_STREAM_UPSTREAM_BASE_URL: platform.baseUrl },
      { engine: false },
    );
    usage = await stack.readTopic(UsageRecordedV1);
    redis = new Redis(infra().REDIS_URL);
  }, 120_000);

  afterAll(async () => {
    redis?.disconnect();
    await usage?.stop();
    await stack?.stop();
    await platform?.stop();
    await own?.stop();
  });

  it('hands-free: partials while speech goes on, one final per utterance at the upstream’s speech_final, metered', async () => {
    const caller = await stack.caller();
    const before = platform.sessions.length;
    const client = await session(stack, caller, { mode: 'hands-free', silenceMs: 700 });
    expect(client.of('stt.started')).toHaveLength(1);
    const audio = pcm(['silence', 0.5], ['tone', 2], ['silence', 1], ['tone', 1.5], ['silence', 1]);
    await client.audio(audio, 4);
    const second = await client.next('stt.final', 2, 30_000);
    client.json({ type: 'stt.stop' });
    await client.next('stt.stopped');
    const [first] = client.of('stt.final');
    expect(first).toMatchObject({ utteranceId: 0, text: SCRIPT[0], language: 'en' });
    expect(second).toMatchObject({ utteranceId: 1, text: SCRIPT[1] });
    expect(first?.start).toBeCloseTo(0.5, 1);
    expect(first?.end).toBeGreaterThan(2.3);
    expect(second?.start).toBeGreaterThan(first?.end ?? 0);
    const partials = client.of('stt.partial').filter((p) => p.utteranceId === 0);
    expect(partials.length).toBeGreaterThan(0);
    for (const partial of partials) {
      expect(SCRIPT[0]?.startsWith(partial.text)).toBe(true);
      expect(partial.text.startsWith(partial.stable)).toBe(true);
    }
    expect(client.of('stt.stopped')).toEqual([{ type: 'stt.stopped', reason: 'stopped' }]);
    expect(client.of('stt.error')).toEqual([]);
    const upstream = platform.sessions[before];
    expect(upstream).toMatchObject({
      authorization: `Token ${KEY}`,
      query: {
        model: 'nova-3',
        encoding: 'linear16',
        sample_rate: '16000',
        channels: '1',
        interim_results: 'true',
        endpointing: '700',
        language: 'en',
      },
      audioBytes: audio.length,
      controls: ['CloseStream'],
      closedBy: 1000,
    });
    await waitFor(() => usage.messages.some((m) => m.value?.includes(second?.usageId ?? '-')), { timeoutMs: 30_000 });
    const event = JSON.parse(usage.messages.find((m) => m.value?.includes(first?.usageId ?? '-'))?.value ?? '{}');
    expect(event).toMatchObject({
      kind: 'stt_seconds',
      provider: 'deepgram',
      model: 'nova-3',
      tenantId: caller.tenantId,
    });
    expect(event.quantity).toBeCloseTo((first?.end ?? 0) - (first?.start ?? 0), 2);
    // Deepgram nova-3's list price, $0.0077 a minute, on the seconds metered.
    expect(event.costMicros).toBe(Math.round((462_000 * event.quantity) / 3600));
  });

  it('push-to-talk: no endpointing upstream; stt.stop sends CloseStream and the rest becomes the final', async () => {
    const before = platform.sessions.length;
    const client = await session(stack, await stack.caller(), { mode: 'push-to-talk' });
    await client.audio(pcm(['tone', 2], ['silence', 1.2]), 4);
    client.json({ type: 'stt.stop' });
    await client.next('stt.stopped');
    expect(client.of('stt.final').map((f) => f.text)).toEqual([SCRIPT[0]]);
    expect(platform.sessions[before]?.query['endpointing']).toBe('false');
    expect(platform.sessions[before]?.controls).toEqual(['CloseStream']);
  });

  it('a long utterance: segments the upstream makes final become the stable prefix, then one final', async () => {
    const client = await session(stack, await stack.caller(), { mode: 'hands-free' });
    await client.audio(pcm(['tone', 4.5], ['silence', 1]), 4);
    const final = await client.next('stt.final', 1, 30_000);
    client.json({ type: 'stt.stop' });
    await client.next('stt.stopped');
    expect(final.text).toBe(SCRIPT[0]);
    expect(client.of('stt.partial').some((p) => p.stable.length > 0)).toBe(true);
  });

  it('abort: no final, the upstream connection dropped', async () => {
    const before = platform.sessions.length;
    const client = await session(stack, await stack.caller(), { mode: 'push-to-talk' });
    await client.audio(pcm(['tone', 1.5]), 4);
    client.json({ type: 'stt.abort' });
    await client.next('stt.stopped');
    expect(client.of('stt.stopped')).toEqual([{ type: 'stt.stopped', reason: 'aborted' }]);
    expect(client.of('stt.final')).toEqual([]);
    await waitFor(() => platform.sessions[before]?.closedBy === 'client');
  });

  it('the plan’s minutes bound the audio sent upstream (quota_exceeded)', async () => {
    const caller = await stack.caller('free');
    await redis.set(SttUsage.key(caller.tenantId, new Date()), String(30 * 60 - 1));
    const before = platform.sessions.length;
    const client = await session(stack, caller, { mode: 'hands-free' });
    expect(client.of('stt.started')[0]?.remainingSeconds).toBe(1);
    await client.audio(pcm(['tone', 3]), 4);
    await client.next('stt.stopped');
    expect(client.of('stt.error')[0]).toMatchObject({ code: 'quota_exceeded', fatal: true });
    expect(client.of('stt.stopped')).toEqual([{ type: 'stt.stopped', reason: 'quota_exceeded' }]);
    expect(platform.sessions[before]?.audioBytes).toBeLessThanOrEqual(32_000);
  });

  describe('a tenant’s own streaming upstream (PUT /upstreams/deepgram)', () => {
    let admin: Caller;

    beforeAll(async () => {
      admin = await stack.caller('enterprise', 'admin');
      const res = await stack.json(admin, 'PUT', '/upstreams/deepgram', {
        baseUrl: own.baseUrl,
        apiKey: TENANT_KEY,
        model: 'nova-2-tenant',
      });
      expect(res.status, res.text).toBe(200);
    });

    it('the tenant’s sessions go to its server with its key and model; another tenant’s still to the platform’s', async () => {
      const ownBefore = own.sessions.length;
      const platformBefore = platform.sessions.length;
      const mine = await session(stack, admin, { mode: 'push-to-talk' });
      await mine.audio(pcm(['tone', 1]), 4);
      mine.json({ type: 'stt.stop' });
      await mine.next('stt.stopped');
      expect(mine.of('stt.final').map((f) => f.text)).toEqual(['tenant words only']);
      expect(own.sessions[ownBefore]).toMatchObject({
        authorization: `Token ${TENANT_KEY}`,
        query: { model: 'nova-2-tenant' },
      });
      const theirs = await session(stack, await stack.caller(), { mode: 'push-to-talk' });
      await theirs.audio(pcm(['tone', 1]), 4);
      theirs.json({ type: 'stt.stop' });
      await theirs.next('stt.stopped');
      expect(theirs.of('stt.final')[0]?.text).toBe(SCRIPT[0]);
      expect(own.sessions.length).toBe(ownBefore + 1);
      expect(platform.sessions.length).toBe(platformBefore + 1);
    });

    it('an upstream that fails mid-stream ends the session with stt_upstream_unavailable', async () => {
      const client = await session(stack, admin, { mode: 'hands-free' });
      await client.audio(pcm(['tone', 3]), 4);
      await client.next('stt.stopped');
      expect(client.of('stt.error')[0]).toMatchObject({ code: 'stt_upstream_unavailable', fatal: true });
      expect(client.of('stt.stopped')).toEqual([{ type: 'stt.stopped', reason: 'error' }]);
    });

    it('a key the upstream refuses: stt_upstream_auth_failed before stt.started', async () => {
      const tenant = await stack.caller('enterprise', 'owner');
      const set = await stack.json(tenant, 'PUT', '/upstreams/deepgram', {
        baseUrl: own.baseUrl,
        apiKey: 'dg-wrong-key-000000000',
        model: 'nova-2',
      });
      expect(set.status).toBe(200);
      const client = await session(stack, tenant, { mode: 'hands-free' }, true);
      await client.next('stt.stopped');
      expect(client.of('stt.started')).toEqual([]);
      expect(client.of('stt.error')[0]).toMatchObject({ code: 'stt_upstream_auth_failed', fatal: true });
      expect(JSON.stringify(client.messages)).not.toContain('dg-wrong-key');
    });
  });
});

describe('a streaming upstream in cloud mode: the egress policy on save and at connect', () => {
  let stack: SttStack;
  let server: DeepgramLiveServer;
  let admin: Caller;

  beforeAll(async () => {
    server = await DeepgramLiveServer.start({ apiKey: TENANT_KEY, script: SCRIPT });
    stack = await SttStack.start({ DEPLOYMENT_MODE: 'cloud' }, { engine: false });
    admin = await stack.caller('enterprise', 'admin');
  }, 120_000);

  afterAll(async () => {
    await stack?.stop();
    await server?.stop();
  });

  it('refuses a loopback address when saved (400 egress_denied)', async () => {
    const res = await stack.json(admin, 'PUT', '/upstreams/deepgram', {
      baseUrl: `https://127.0.0.1:${server.port}`,
      apiKey: TENANT_KEY,
      model: 'nova-3',
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('egress_denied');
  });

  it('refuses to connect to a stored loopback address: egress_denied, the server never reached', async () => {
    await stack.pg.query(
      `INSERT INTO ${tenantSchemaName(admin.tenantId)}.stt_upstreams (id, kind, base_url, model, updated_by)
       VALUES ($1, 'deepgram', $2, 'nova-3', 'test')`,
      [randomUUID(), `https://127.0.0.1:${server.port}`],
    );
    const client = await session(stack, admin, { mode: 'hands-free' }, true);
    await client.next('stt.stopped');
    expect(client.of('stt.error')[0]).toMatchObject({ code: 'egress_denied', fatal: true });
    expect(server.sessions).toEqual([]);
  });
});
