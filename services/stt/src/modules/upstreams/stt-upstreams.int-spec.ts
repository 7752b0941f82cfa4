import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageRecordedV1 } from '@parley/contracts';
import { tenantSchemaName } from '@parley/tenancy';
import { OpenAiTranscriptionServer, waitFor, type TopicReader } from '@parley/testing';
import { type Caller, SttStack, toneWav } from '../../testing/stt-stack';
import { SPEECH_PRICE_TABLE } from '../usage/speech-price-table';

const PLATFORM_KEY = 'sk-platform-0123456789abcdef';
const TENANT_KEY = 'sk-tenant-fedcba9876543210';

describe('speech upstreams: the platform-wide OpenAI-compatible upstream and a tenant’s own (BYOK)', () => {
  let stack: SttStack;
  let platform: OpenAiTranscriptionServer;
  let own: OpenAiTranscriptionServer;
  let usage: TopicReader;
  let admin: Caller;
  const wav = toneWav(2);

  beforeAll(async () => {
    platform = await OpenAiTranscriptionServer.start({
      apiKey: PLATFORM_KEY,
      transcript: (call) => `platform heard ${call.file.seconds} seconds`,
    });
    own = await OpenAiTranscriptionServer.start({ apiKey: TENANT_KEY, transcript: () => 'the tenant server heard it' });
    // Self-hosted: loopback addresses pass the egress policy. No embedded engine: every transcription goes upstream.
    stack = await SttStack.start(
      {
        STT_UPSTREAM_BASE_URL: platform.baseUrl,
        STT_UPSTREAM_API_KEY: PLATFORM_KEY,
        STT_UPSTREAM_MODEL: 'whisper-large-v3',
      },
      { engine: false },
    );
    usage = await stack.readTopic(UsageRecordedV1);
    admin = await stack.caller('enterprise', 'admin');
  }, 120_000);

  afterAll(async () => {
    await usage?.stop();
    await stack?.stop();
    await platform?.stop();
    await own?.stop();
  });

  it('sends an upload to the platform upstream in OpenAI’s wire format and answers its transcript', async () => {
    const caller = await stack.caller();
    const res = await stack.upload(caller, wav, { fields: { language: 'en' } });
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({
      task: 'transcribe',
      text: 'platform heard 2 seconds',
      language: 'en',
      duration: 2,
    });
    expect(res.body.segments).toEqual([{ id: 0, start: 0, end: 2, text: 'platform heard 2 seconds' }]);
    const call = platform.calls.at(-1);
    expect(call).toMatchObject({
      authorization: `Bearer ${PLATFORM_KEY}`,
      fields: { model: 'whisper-large-v3', language: 'en', response_format: 'verbose_json' },
      file: { contentType: 'audio/wav', seconds: 2 },
    });
    await waitFor(() => usage.messages.some((m) => m.value?.includes(res.body.usageId as string)), {
      timeoutMs: 30_000,
    });
    const event = JSON.parse(usage.messages.find((m) => m.value?.includes(res.body.usageId as string))?.value ?? '');
    expect(event).toMatchObject({
      kind: 'stt_seconds',
      quantity: 2,
      provider: 'openai-compatible',
      model: 'whisper-large-v3',
      // Groq's list price for whisper-large-v3, $0.111 an hour: 2 s cost 62 micro-USD.
      costMicros: 62,
      priceTableVersion: SPEECH_PRICE_TABLE.version,
    });
  });

  it('answers the OpenAI-compatible path in its default json format', async () => {
    const res = await stack.upload(await stack.caller(), wav, { path: '/audio/transcriptions' });
    expect(res.status, res.text).toBe(200);
    expect(res.body).toEqual({ text: 'platform heard 2 seconds' });
  });

  it.each([
    [429, 429, 'stt_upstream_rate_limited', { 'retry-after': '7' }],
    [500, 502, 'stt_upstream_unavailable', {}],
    [503, 502, 'stt_upstream_unavailable', {}],
    [400, 502, 'stt_upstream_rejected', {}],
  ] as const)('maps the upstream’s %i to %i %s', async (status, ours, code, headers) => {
    platform.answerNext({ status, headers, body: { error: { message: 'upstream says no', type: 'x', code: null } } });
    const res = await stack.upload(await stack.caller(), wav);
    expect(res.status, res.text).toBe(ours);
    expect(res.body.error.code).toBe(code);
    if (status === 429) expect(res.headers.get('retry-after')).toBe('7');
  });

  it('maps an answer that is not a transcription to 502 stt_upstream_unavailable', async () => {
    platform.answerNext({ status: 200, body: { unexpected: true } });
    const res = await stack.upload(await stack.caller(), wav);
    expect(res.status).toBe(502);
    expect(res.body.error.code).toBe('stt_upstream_unavailable');
  });

  describe('a tenant’s own upstream (PUT /upstreams/openai)', () => {
    it('an admin sets it: the view has a hint of the key, never the key; the row holds it sealed', async () => {
      const res = await stack.json(admin, 'PUT', '/upstreams/openai', {
        baseUrl: `${own.baseUrl}/`,
        apiKey: TENANT_KEY,
        model: 'whisper-tenant',
      });
      expect(res.status, res.text).toBe(200);
      expect(res.body).toEqual({
        kind: 'openai',
        baseUrl: own.baseUrl,
        model: 'whisper-tenant',
        keyHint: `…${TENANT_KEY.slice(-4)}`,
        updatedAt: expect.any(String),
      });
      expect(res.text).not.toContain(TENANT_KEY);
      const rows = await stack.pg.query<{ encrypted_key: Buffer }[]>(
        `SELECT encrypted_key FROM ${tenantSchemaName(admin.tenantId)}.stt_upstreams`,
      );
      expect(rows).toHaveLength(1);
      expect(rows[0]?.encrypted_key.includes(Buffer.from(TENANT_KEY))).toBe(false);
      expect((await stack.json(admin, 'GET', '/upstreams')).body.items).toEqual([res.body]);
    });

    it('the tenant’s uploads go to its server with its key and model, no longer to the platform’s', async () => {
      const before = platform.calls.length;
      const res = await stack.upload(admin, wav, { fields: { language: 'de' } });
      expect(res.status, res.text).toBe(200);
      expect(res.body).toMatchObject({ text: 'the tenant server heard it', language: 'de' });
      expect(own.calls.at(-1)).toMatchObject({
        authorization: `Bearer ${TENANT_KEY}`,
        fields: { model: 'whisper-tenant', response_format: 'verbose_json', language: 'de' },
      });
      expect(platform.calls.length).toBe(before);
    });

    it('another tenant cannot see, remove or use it: its uploads still go to the platform upstream', async () => {
      const other = await stack.caller('enterprise', 'admin');
      expect((await stack.json(other, 'GET', '/upstreams')).body).toEqual({ items: [] });
      const removed = await stack.json(other, 'DELETE', '/upstreams/openai');
      expect(removed.status).toBe(404);
      const ownCalls = own.calls.length;
      const res = await stack.upload(other, wav);
      expect(res.body.text).toBe('platform heard 2 seconds');
      expect(own.calls.length).toBe(ownCalls);
      expect((await stack.json(admin, 'GET', '/upstreams')).body.items).toHaveLength(1);
    });

    it('a member cannot list, set or remove it, nor can an API key', async () => {
      const member: Caller = { ...admin, userId: randomUUID(), role: 'member' };
      const apiKey: Caller = { tenantId: admin.tenantId, apiKeyId: randomUUID(), scopes: ['stt:write'] };
      for (const caller of [member, apiKey]) {
        const put = await stack.json(caller, 'PUT', '/upstreams/openai', { baseUrl: platform.baseUrl, model: 'm' });
        expect(put.status).toBe(403);
        expect(put.body.error.code).toBe('forbidden');
        expect((await stack.json(caller, 'GET', '/upstreams')).status).toBe(403);
        expect((await stack.json(caller, 'DELETE', '/upstreams/openai')).status).toBe(403);
      }
      expect((await stack.json(admin, 'GET', '/upstreams')).body.items[0].baseUrl).toBe(own.baseUrl);
    });

    it('refuses a new address without the key again, an unknown kind and a bad body (400)', async () => {
      const moved = await stack.json(admin, 'PUT', '/upstreams/openai', { baseUrl: platform.baseUrl, model: 'm' });
      expect(moved.status).toBe(400);
      expect(moved.body.error.code).toBe('validation_failed');
      const kind = await stack.json(admin, 'PUT', '/upstreams/whisperx', { baseUrl: own.baseUrl, model: 'm' });
      expect(kind.status).toBe(400);
      const extra = await stack.json(admin, 'PUT', '/upstreams/openai', { model: 'm', surprise: 1 });
      expect(extra.status).toBe(400);
      const ftp = await stack.json(admin, 'PUT', '/upstreams/openai', { baseUrl: 'ftp://x.example/v1', model: 'm' });
      expect(ftp.status).toBe(400);
    });

    it('maps the tenant server’s 401 to 502 stt_upstream_auth_failed without echoing the key', async () => {
      const tenant = await stack.caller('enterprise', 'owner');
      const wrong = 'sk-wrong-key-0000111122223333';
      const set = await stack.json(tenant, 'PUT', '/upstreams/openai', {
        baseUrl: own.baseUrl,
        apiKey: wrong,
        model: 'w',
      });
      expect(set.status, set.text).toBe(200);
      const res = await stack.upload(tenant, wav);
      expect(res.status).toBe(502);
      expect(res.body.error.code).toBe('stt_upstream_auth_failed');
      expect(res.text).not.toContain(wrong);
    });

    it('maps an unreachable tenant server to 502 stt_upstream_unavailable', async () => {
      const tenant = await stack.caller('enterprise', 'owner');
      const closed = await OpenAiTranscriptionServer.start({ apiKey: null });
      await closed.stop();
      expect(
        (await stack.json(tenant, 'PUT', '/upstreams/openai', { baseUrl: closed.baseUrl, model: 'w' })).status,
      ).toBe(200);
      const res = await stack.upload(tenant, wav);
      expect(res.status).toBe(502);
      expect(res.body.error.code).toBe('stt_upstream_unavailable');
    });

    it('an admin removes it (204): the platform upstream applies again', async () => {
      expect((await stack.json(admin, 'DELETE', '/upstreams/openai')).status).toBe(204);
      expect((await stack.json(admin, 'GET', '/upstreams')).body).toEqual({ items: [] });
      expect((await stack.upload(admin, wav)).body.text).toBe('platform heard 2 seconds');
    });
  });
});

describe('speech upstreams in cloud mode: the egress policy on save and at each connection', () => {
  let stack: SttStack;
  let server: OpenAiTranscriptionServer;
  let admin: Caller;

  beforeAll(async () => {
    server = await OpenAiTranscriptionServer.start({ apiKey: null });
    stack = await SttStack.start({ DEPLOYMENT_MODE: 'cloud' }, { engine: false });
    admin = await stack.caller('enterprise', 'admin');
  }, 120_000);

  afterAll(async () => {
    await stack?.stop();
    await server?.stop();
  });

  it.each([
    ['loopback over http', () => server.baseUrl],
    ['loopback over https', () => `https://127.0.0.1:${server.port}/v1`],
    ['localhost by name', () => `https://localhost:${server.port}/v1`],
    ['the metadata address', () => 'https://169.254.169.254/v1'],
    ['a private address', () => 'https://10.0.0.7/v1'],
  ])('refuses %s without an allowlist (400 egress_denied), nothing saved', async (_name, url) => {
    const res = await stack.json(admin, 'PUT', '/upstreams/openai', { baseUrl: url(), apiKey: 'sk-x', model: 'm' });
    expect(res.status, res.text).toBe(400);
    expect(res.body.error.code).toBe('egress_denied');
    expect((await stack.json(admin, 'GET', '/upstreams')).body).toEqual({ items: [] });
  });

  it('refuses to connect to a stored address the policy does not allow (400 egress_denied), the server never called', async () => {
    await stack.pg.query(
      `INSERT INTO ${tenantSchemaName(admin.tenantId)}.stt_upstreams (id, kind, base_url, model, updated_by)
       VALUES ($1, 'openai', $2, 'm', 'test')`,
      [randomUUID(), `https://127.0.0.1:${server.port}/v1`],
    );
    const res = await stack.upload(admin, toneWav(1));
    expect(res.status, res.text).toBe(400);
    expect(res.body.error.code).toBe('egress_denied');
    expect(server.calls).toHaveLength(0);
  });
});
