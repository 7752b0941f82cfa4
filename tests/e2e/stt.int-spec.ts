import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { PlatformProcesses, Speech, sttEngineEnv, waitFor, wavPcm } from '@parley/testing';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- bodies are asserted field by field
type Body = any;

/**
 * Speech to text end to end, as a client sees it: the real gateway, auth, tenant and stt services as
 * processes (stt with the real faster-whisper engine, one worker), uploads through the route table
 * (also as an OpenAI client with an API key) and a speech session over the gateway's `/ws`.
 */
describe('speech to text through the gateway', () => {
  let platform: PlatformProcesses;
  let api: string;
  let wav: string;
  let token: string;

  const call = async (path: string, init: { method?: string; body?: unknown; token?: string } = {}) => {
    const res = await fetch(`${api}${path}`, {
      method: init.method ?? 'GET',
      headers: {
        'content-type': 'application/json',
        ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
      },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  };

  const upload = async (path: string, credential: string, fields: Record<string, string> = {}) => {
    const form = new FormData();
    for (const [name, value] of Object.entries(fields)) form.append(name, value);
    form.append('file', new Blob([await readFile(wav)]), 'speech.wav');
    const res = await fetch(`${api}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${credential}` },
      body: form,
    });
    return { status: res.status, text: await res.text(), headers: res.headers };
  };

  beforeAll(async () => {
    const engine = await sttEngineEnv();
    platform = await PlatformProcesses.start({
      services: ['tenant', 'auth', 'stt', 'gateway'],
      env: { DEPLOYMENT_MODE: 'cloud', BUS_REQUEST_TIMEOUT_MS: '30000' },
      serviceEnv: {
        stt: { ...engine, STT_WORKERS: '1', STT_CPU_THREADS: '1' },
      },
    });
    api = platform.url('gateway');
    const slug = `stt-${randomUUID().slice(0, 8)}`;
    const signedUp = await call('/api/v1/auth/sign-up', {
      method: 'POST',
      body: {
        organizationName: `Org ${slug}`,
        organizationSlug: slug,
        email: `owner@${slug}.test`,
        password: 'correct horse battery',
        name: slug,
      },
    });
    expect(signedUp.status).toBe(201);
    token = signedUp.body.accessToken;
    const speech = await Speech.folder();
    wav = await speech.say('fox', 'The quick brown fox jumps over the lazy dog.');
    // The stt service is ready once its worker has loaded the models.
    await waitFor(async () => (await fetch(`${platform.url('stt')}/health/ready`)).status === 200, {
      timeoutMs: 120_000,
      what: 'stt ready',
    });
  }, 400_000);

  afterAll(async () => {
    await platform?.stop();
  });

  it('shows the engine in /api/v1/health', async () => {
    const health = await call('/api/v1/health');
    expect(health.body.services.stt).toMatchObject({ status: 'up' });
  });

  it('transcribes an upload through the route table, and for an OpenAI client with an API key holding stt:write only', async () => {
    const res = await upload('/api/v1/stt/transcriptions', token);
    expect(res.status, res.text).toBe(200);
    expect(JSON.parse(res.text).text.toLowerCase()).toContain('lazy dog');

    const key = await call('/api/v1/auth/api-keys', {
      method: 'POST',
      token,
      body: { name: 'openai-client', scopes: ['stt:write'] },
    });
    expect(key.status).toBe(201);
    const text = await upload('/api/v1/audio/transcriptions', key.body.key as string, {
      model: 'whisper-1',
      response_format: 'text',
    });
    expect(text.status).toBe(200);
    expect(text.text.toLowerCase()).toContain('lazy dog');

    const reader = await call('/api/v1/auth/api-keys', {
      method: 'POST',
      token,
      body: { name: 'reader', scopes: ['chat:read'] },
    });
    const refused = await upload('/api/v1/audio/transcriptions', reader.body.key as string);
    expect(refused.status).toBe(403);
    expect(JSON.parse(refused.text).error.code).toBe('insufficient_scope');
  });

  it('streams a speech session over /ws: stt.started, partials, a final, stt.stopped', async () => {
    const ws = new WebSocket(`${api.replace(/^http/, 'ws')}/ws`, ['bearer', token]);
    const frames: Body[] = [];
    ws.on('message', (data: Buffer) => frames.push(JSON.parse(data.toString('utf8'))));
    await new Promise<void>((resolve, reject) => {
      ws.on('open', () => resolve());
      ws.on('error', reject);
    });
    const of = (type: string) => frames.filter((f) => f.type === type);
    await waitFor(() => of('session.ready').length > 0, { what: 'session.ready' });
    ws.send(Buffer.alloc(640), { binary: true });
    await waitFor(() => of('stt.error').length > 0, { what: 'not_started' });
    expect(of('stt.error')[0]).toMatchObject({ code: 'not_started' });
    ws.send(JSON.stringify({ type: 'stt.start', format: 'pcm16', mode: 'hands-free' }));
    await waitFor(() => of('stt.started').length > 0, { what: 'stt.started', timeoutMs: 20_000 });
    const pcm = Buffer.concat([wavPcm(await readFile(wav)), Buffer.alloc(32_000)]);
    for (let at = 0; at < pcm.length; at += 3200) {
      ws.send(pcm.subarray(at, at + 3200), { binary: true });
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await waitFor(() => of('stt.final').length > 0, { what: 'stt.final', timeoutMs: 60_000 });
    expect(of('stt.partial').length).toBeGreaterThan(0);
    expect(of('stt.final')[0].text.toLowerCase()).toContain('lazy dog');
    ws.send(JSON.stringify({ type: 'stt.stop' }));
    await waitFor(() => of('stt.stopped').length > 0, { what: 'stt.stopped', timeoutMs: 20_000 });
    expect(of('stt.stopped')[0]).toEqual({ type: 'stt.stopped', reason: 'stopped' });
    ws.close();
  });
});
