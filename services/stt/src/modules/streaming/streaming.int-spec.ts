import { readFile } from 'node:fs/promises';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STT_STREAM_LIMITS, UsageRecordedV1 } from '@parley/contracts';
import { infra, Speech, waitFor, wavPcm, wordErrors, type TopicReader } from '@parley/testing';
import { StreamClient, words } from '../../testing/stream-client';
import { type Caller, headersOf, streamUrl, SttStack } from '../../testing/stt-stack';
import { SttUsage } from '../usage/stt-usage';

describe('streaming at /stream: partials while speaking, a final per utterance (real faster-whisper)', () => {
  let stack: SttStack;
  let speech: Speech;
  let wav: string;
  let pcm: Buffer;
  let silence: Buffer;
  let redis: Redis;
  let usage: TopicReader;

  const open = async (caller: Caller) => StreamClient.open(streamUrl(stack), await headersOf(caller));

  beforeAll(async () => {
    stack = await SttStack.start();
    speech = await Speech.folder();
    wav = await speech.say('fox', 'The quick brown fox jumps over the lazy dog.');
    pcm = wavPcm(await readFile(wav));
    silence = Buffer.alloc(32_000); // 1 s
    redis = new Redis(infra().REDIS_URL);
    usage = await stack.readTopic(UsageRecordedV1);
  }, 300_000);

  afterAll(async () => {
    await usage?.stop();
    redis?.disconnect();
    await stack?.stop();
  });

  it('sends partials while the audio is still arriving, then a final that matches the upload transcription of the same audio', async () => {
    const caller = await stack.caller();
    const client = await open(caller);
    client.json({ type: 'stt.start', format: 'pcm16', mode: 'hands-free' });
    const started = await client.next('stt.started');
    expect(started).toMatchObject({ mode: 'hands-free', silenceMs: STT_STREAM_LIMITS.defaultSilenceMs });
    await client.audio(Buffer.concat([pcm, silence]));
    const final = await client.next('stt.final');
    // Partials came while audio was still being sent, and the stable prefix only grew.
    expect(
      client.messages.slice(0, client.heardBeforeLastFrame).filter((m) => m.type === 'stt.partial').length,
    ).toBeGreaterThan(0);
    const stables = client.of('stt.partial').map((p) => p.stable.split(' ').filter(Boolean).length);
    expect(stables).toEqual([...stables].sort((a, b) => a - b));
    const upload = await stack.upload(caller, wav);
    expect(upload.status).toBe(200);
    // The same model and beam on the same speech; the utterance is cut by the VAD (its silence around the
    // words differs from the file's), which may change one word on espeak-ng's voice.
    expect(wordErrors(upload.body.text as string, final.text).errors).toBeLessThanOrEqual(1);
    expect(words(final.text)).toMatch(/quick brown fox .* over the lazy dog/);
    expect(final).toMatchObject({ utteranceId: 0, language: 'en', usageId: expect.any(String) });
    client.json({ type: 'stt.stop' });
    expect(await client.next('stt.stopped')).toEqual({ type: 'stt.stopped', reason: 'stopped' });
    const mine = () => usage.messages.filter((m) => m.value?.includes(final.usageId));
    await waitFor(() => mine().length > 0, { timeoutMs: 20_000 });
    expect(JSON.parse(mine()[0]?.value ?? '{}')).toMatchObject({ kind: 'stt_seconds', tenantId: caller.tenantId });
    client.close();
  });

  it('ends utterances on silence in hands-free mode and on stt.stop in push-to-talk mode', async () => {
    const caller = await stack.caller();
    const handsFree = await open(caller);
    handsFree.json({ type: 'stt.start', format: 'pcm16', mode: 'hands-free', silenceMs: 500 });
    await handsFree.next('stt.started');
    await handsFree.audio(Buffer.concat([pcm, silence, pcm, silence]), 2);
    const second = await handsFree.next('stt.final', 2);
    expect(second.utteranceId).toBe(1);
    expect(words(second.text)).toContain('lazy dog');
    handsFree.close();

    const ptt = await open(caller);
    // Audio right after stt.start, before stt.started (the minutes are being checked), is kept.
    ptt.json({ type: 'stt.start', format: 'pcm16', mode: 'push-to-talk' });
    await ptt.audio(Buffer.concat([pcm, silence]), 2);
    expect(ptt.messages[0]?.type).toBe('stt.started');
    ptt.json({ type: 'stt.stop' });
    const final = await ptt.next('stt.final');
    expect(words(final.text)).toContain('lazy dog');
    await ptt.next('stt.stopped');
    expect(ptt.of('stt.final')).toHaveLength(1);
    ptt.close();
  });

  it('takes webm/opus as a browser records it', async () => {
    const caller = await stack.caller();
    const webm = await readFile(
      await speech.convert(await speech.concat('fox-tail', [wav, await speech.silence('s1', 1)]), 'webm'),
    );
    const client = await open(caller);
    client.json({ type: 'stt.start', format: 'webm/opus', mode: 'push-to-talk' });
    await client.next('stt.started');
    for (let at = 0; at < webm.length; at += 4096) client.ws.send(webm.subarray(at, at + 4096), { binary: true });
    client.json({ type: 'stt.stop' });
    const final = await client.next('stt.final');
    expect(words(final.text)).toContain('lazy dog');
    client.close();
  });

  it('an abort mid-utterance sends no final and meters nothing', async () => {
    const caller = await stack.caller();
    const client = await open(caller);
    client.json({ type: 'stt.start', format: 'pcm16' });
    await client.next('stt.started');
    await client.audio(pcm.subarray(0, pcm.length / 2), 2);
    client.json({ type: 'stt.abort' });
    expect(await client.next('stt.stopped')).toEqual({ type: 'stt.stopped', reason: 'aborted' });
    expect(client.of('stt.final')).toHaveLength(0);
    expect(await redis.get(SttUsage.key(caller.tenantId, new Date()))).toBeNull();
    client.close();
  });

  it('two tenants streaming at once stay apart: each hears only its own utterance, each is metered to itself', async () => {
    const [a, b] = [await stack.caller(), await stack.caller()];
    const other = await speech.say('other', 'Seven green apples fell from the tall tree.');
    const pcmB = wavPcm(await readFile(other));
    const [ca, cb] = [await open(a), await open(b)];
    ca.json({ type: 'stt.start', format: 'pcm16' });
    cb.json({ type: 'stt.start', format: 'pcm16' });
    await Promise.all([ca.next('stt.started'), cb.next('stt.started')]);
    await Promise.all([ca.audio(Buffer.concat([pcm, silence])), cb.audio(Buffer.concat([pcmB, silence]))]);
    const [fa, fb] = [await ca.next('stt.final'), await cb.next('stt.final')];
    expect(words(fa.text)).toContain('lazy dog');
    expect(words(fa.text)).not.toContain('apples');
    expect(words(fb.text)).toContain('apples');
    expect(words(fb.text)).not.toContain('fox');
    expect(ca.of('stt.final')).toHaveLength(1);
    expect(cb.of('stt.final')).toHaveLength(1);
    const event = (id: string) => usage.messages.find((m) => m.value?.includes(id));
    await waitFor(() => event(fa.usageId) && event(fb.usageId), { timeoutMs: 20_000 });
    expect(JSON.parse(event(fa.usageId)?.value ?? '{}').tenantId).toBe(a.tenantId);
    expect(JSON.parse(event(fb.usageId)?.value ?? '{}').tenantId).toBe(b.tenantId);
    ca.close();
    cb.close();
  });

  it('refuses a session when the month’s minutes are used up (quota_exceeded, fatal)', async () => {
    await stack.setSttMinutes('free', 1);
    const caller = await stack.caller('free');
    await redis.set(SttUsage.key(caller.tenantId, new Date()), '60');
    const client = await open(caller);
    client.json({ type: 'stt.start', format: 'pcm16' });
    const error = await client.next('stt.error');
    expect(error).toMatchObject({ code: 'quota_exceeded', fatal: true });
    expect(await client.next('stt.stopped')).toEqual({ type: 'stt.stopped', reason: 'quota_exceeded' });
    client.close();
  });

  it('ends a session at the plan’s longest audio (audio_too_long, stopped max_duration)', async () => {
    await stack.setMaxAudioSeconds('pro', 2);
    const client = await open(await stack.caller('pro'));
    client.json({ type: 'stt.start', format: 'pcm16', mode: 'hands-free' });
    expect((await client.next('stt.started')).maxAudioSeconds).toBe(2);
    await client.audio(Buffer.concat([silence, silence, silence]), 4);
    expect(await client.next('stt.error')).toMatchObject({ code: 'audio_too_long', fatal: true });
    expect(await client.next('stt.stopped')).toEqual({ type: 'stt.stopped', reason: 'max_duration' });
    client.close();
  });

  it('bounds frames and protocol: a frame too large, audio before start, a malformed message; no principal, no socket', async () => {
    const caller = await stack.caller();
    const client = await open(caller);
    client.ws.send(Buffer.alloc(640), { binary: true });
    expect((await client.next('stt.error')).code).toBe('not_started');
    client.json({ type: 'stt.begin' });
    expect((await client.next('stt.error', 2)).code).toBe('malformed_message');
    client.json({ type: 'stt.start', format: 'pcm16' });
    await client.next('stt.started');
    client.ws.send(Buffer.alloc(STT_STREAM_LIMITS.maxFrameBytes + 2), { binary: true });
    expect(await client.next('stt.error', 3)).toMatchObject({ code: 'frame_too_large', fatal: true });
    await client.next('stt.stopped');
    client.close();
    await expect(StreamClient.open(streamUrl(stack))).rejects.toThrow(/401/);
  });

  it('ends a session whose raw audio arrives faster than the allowed multiple of real time (rate_exceeded)', async () => {
    const caller = await stack.caller();
    const client = await open(caller);
    client.json({ type: 'stt.start', format: 'pcm16', mode: 'push-to-talk' });
    await client.next('stt.started');
    // 40 full frames (41 s of audio) at once: far past the burst allowance plus 4× the time they take to send.
    const frame = Buffer.alloc(STT_STREAM_LIMITS.maxFrameBytes);
    for (let i = 0; i < 40; i += 1) client.ws.send(frame, { binary: true });
    expect(await client.next('stt.error')).toMatchObject({ code: 'rate_exceeded', fatal: true });
    expect(await client.next('stt.stopped')).toEqual({ type: 'stt.stopped', reason: 'aborted' });
    expect(client.of('stt.final')).toHaveLength(0);
    client.close();
  });

  it('a worker killed mid-stream fails that utterance clearly (stt_worker_failed) and the session goes on', async () => {
    const caller = await stack.caller();
    const client = await open(caller);
    client.json({ type: 'stt.start', format: 'pcm16', mode: 'push-to-talk' });
    await client.next('stt.started');
    await client.audio(pcm, 4);
    await waitFor(() => stack.pool.status().workers.busy === 0, { timeoutMs: 30_000 });
    client.json({ type: 'stt.stop' });
    await waitFor(() => stack.pool.status().running.includes('base'), { timeoutMs: 30_000 });
    const [pid] = stack.pool.workerPids();
    process.kill(pid as number, 'SIGKILL');
    expect(await client.next('stt.error')).toMatchObject({ code: 'stt_worker_failed', fatal: false });
    await client.next('stt.stopped');
    expect(client.of('stt.final')).toHaveLength(0);
    expect(await redis.get(SttUsage.key(caller.tenantId, new Date()))).toBeNull();
    await stack.ready();
    client.close();
  });
});
