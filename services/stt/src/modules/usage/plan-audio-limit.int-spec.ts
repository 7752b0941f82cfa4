import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeepgramLiveServer, OpenAiTranscriptionServer } from '@parley/testing';
import { StreamClient } from '../../testing/stream-client';
import { headersOf, streamUrl, SttStack, toneWav } from '../../testing/stt-stack';

/** 16 kHz s16le PCM of a tone (speech to the streaming upstream). */
function tone(seconds: number): Buffer {
  return toneWav(seconds).subarray(44);
}

describe('the plan’s longest audio (sttMaxAudioSeconds) for uploads and live sessions', () => {
  let stack: SttStack;
  let openai: OpenAiTranscriptionServer;
  let deepgram: DeepgramLiveServer;

  beforeAll(async () => {
    openai = await OpenAiTranscriptionServer.start({ apiKey: 'sk-limit-test-000000' });
    deepgram = await DeepgramLiveServer.start({ apiKey: 'dg-limit-test-000000', script: ['some words'] });
    // The engines are local upstreams: the limits are checked before any of them is called.
    stack = await SttStack.start(
      {
        STT_UPSTREAM_BASE_URL: openai.baseUrl,
        STT_UPSTREAM_API_KEY: 'sk-limit-test-000000',
        STT_STREAM_UPSTREAM_BASE_URL: deepgram.baseUrl,
        STT_STREAM_UPSTREAM_API_KEY: 'dg-limit-test-000000',
        STT_MAX_DURATION_SECONDS: '10',
      },
      { engine: false },
    );
    await stack.setMaxAudioSeconds('free', 3);
  }, 120_000);

  afterAll(async () => {
    await stack?.stop();
    await openai?.stop();
    await deepgram?.stop();
  });

  it('refuses an upload longer than the plan allows with 413 audio_too_long naming the plan’s limit; nothing sent upstream', async () => {
    const caller = await stack.caller('free');
    const calls = openai.calls.length;
    const res = await stack.upload(caller, toneWav(4));
    expect(res.status, res.text).toBe(413);
    expect(res.body.error).toMatchObject({ code: 'audio_too_long', details: { limitSeconds: 3, limit: 'plan' } });
    expect(openai.calls.length).toBe(calls);
    const short = await stack.upload(caller, toneWav(2.5));
    expect(short.status, short.text).toBe(200);
    expect(short.body.duration).toBe(2.5);
  });

  it('another plan keeps its own limit; the service’s cap still bounds it (limit: service)', async () => {
    const pro = await stack.caller('pro');
    expect((await stack.upload(pro, toneWav(4))).status).toBe(200);
    const long = await stack.upload(pro, toneWav(11));
    expect(long.status).toBe(413);
    expect(long.body.error.details).toEqual({ limitSeconds: 10, limit: 'service' });
  });

  it('ends a live session at the plan’s limit: audio_too_long, stopped max_duration, no more audio sent upstream', async () => {
    const caller = await stack.caller('free');
    const before = deepgram.sessions.length;
    const client = await StreamClient.open(streamUrl(stack), await headersOf(caller));
    client.json({ type: 'stt.start', format: 'pcm16', language: 'en', mode: 'hands-free' });
    expect((await client.next('stt.started', 1, 30_000)).maxAudioSeconds).toBe(3);
    await client.audio(tone(5), 4);
    await client.next('stt.stopped', 1, 30_000);
    expect(client.of('stt.error')[0]).toMatchObject({ code: 'audio_too_long', fatal: true });
    expect(client.of('stt.stopped')).toEqual([{ type: 'stt.stopped', reason: 'max_duration' }]);
    expect(deepgram.sessions[before]?.audioBytes).toBeLessThanOrEqual(3 * 32_000);
    // What was said before the limit is still transcribed and metered.
    expect(client.of('stt.final').map((f) => f.text)).toEqual(['some words']);
  });
});
