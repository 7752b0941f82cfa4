import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeepgramLiveServer, freePort, OpenAiTranscriptionServer } from '@parley/testing';
import { SttStack } from '../../testing/stt-stack';

const KEY = 'sk-platform-health-0123456789';

interface Readiness {
  status: number;
  checks: Record<string, { status: string; error?: string }>;
}

async function readiness(stack: SttStack): Promise<Readiness> {
  const res = await fetch(`${stack.base}/health/ready`);
  const body = (await res.json()) as { checks: Readiness['checks'] };
  return { status: res.status, checks: body.checks };
}

describe('the platform speech upstreams in readiness (no embedded engine)', () => {
  let uploads: OpenAiTranscriptionServer;
  let streaming: DeepgramLiveServer;
  const stacks: SttStack[] = [];
  const start = async (env: Record<string, string>) => {
    const stack = await SttStack.start(env, { engine: false });
    stacks.push(stack);
    return stack;
  };

  beforeAll(async () => {
    uploads = await OpenAiTranscriptionServer.start({ apiKey: KEY, transcript: () => 'heard' });
    streaming = await DeepgramLiveServer.start({ apiKey: KEY, script: ['heard'] });
  });

  afterAll(async () => {
    for (const stack of stacks) await stack.stop();
    await uploads?.stop();
    await streaming?.stop();
  });

  it('both upstreams answering with the key: ready, each up; the unused embedded engine reported, not gating', async () => {
    const stack = await start({
      STT_UPSTREAM_BASE_URL: uploads.baseUrl,
      STT_UPSTREAM_API_KEY: KEY,
      STT_STREAM_UPSTREAM_BASE_URL: streaming.baseUrl,
      STT_STREAM_UPSTREAM_API_KEY: KEY,
    });
    const ready = await readiness(stack);
    expect(ready.status).toBe(200);
    expect(ready.checks['stt-upstream-uploads']).toMatchObject({ status: 'up' });
    expect(ready.checks['stt-upstream-streaming']).toMatchObject({ status: 'up' });
    expect(ready.checks['stt-engine']).toMatchObject({ status: 'degraded' });
  });

  it('a refused key and an unreachable upstream are degraded with the reason (never the key), and do not unready the pods', async () => {
    const stack = await start({
      STT_UPSTREAM_BASE_URL: uploads.baseUrl,
      STT_UPSTREAM_API_KEY: 'sk-wrong-key-0123456789abcdef',
      STT_STREAM_UPSTREAM_BASE_URL: `http://127.0.0.1:${await freePort()}`,
      STT_STREAM_UPSTREAM_API_KEY: KEY,
    });
    const ready = await readiness(stack);
    expect(ready.status).toBe(200);
    expect(ready.checks['stt-upstream-uploads']).toMatchObject({
      status: 'degraded',
      error: 'the upstream refuses the key (401)',
    });
    expect(ready.checks['stt-upstream-streaming']?.status).toBe('degraded');
    expect(ready.checks['stt-upstream-streaming']?.error).toMatch(/^the upstream is unreachable/);
    expect(JSON.stringify(ready)).not.toContain('sk-wrong-key');
  });

  it('with only the uploads upstream, live sessions still need the embedded engine: not ready without it', async () => {
    const stack = await start({ STT_UPSTREAM_BASE_URL: uploads.baseUrl, STT_UPSTREAM_API_KEY: KEY });
    const ready = await readiness(stack);
    expect(ready.status).toBe(503);
    expect(ready.checks['stt-engine']?.status).toBe('down');
    expect(ready.checks['stt-upstream-uploads']).toMatchObject({ status: 'up' });
    expect(ready.checks['stt-upstream-streaming']).toBeUndefined();
  });
});
