import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LlmSimulator, PlatformProcesses } from '@parley/testing';
import { startSelfHostedChat } from './support/self-hosted-chat';

/**
 * Self-hosted with AUTH_REQUIRED=false (login switched off): a client without any credential acts
 * as the default tenant's owner and chats through the gateway, the answer coming from the real
 * OpenAI-protocol adapter against the simulator.
 */
describe('self-hosted chat without login', () => {
  let sim: LlmSimulator;
  let platform: PlatformProcesses;
  let api: string;

  const call = async (path: string, init: { method?: string; body?: unknown; accept?: string } = {}) => {
    const res = await fetch(`${api}${path}`, {
      method: init.method ?? 'GET',
      headers: { 'content-type': 'application/json', accept: init.accept ?? 'application/json' },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
    return { status: res.status, text: await res.text() };
  };

  beforeAll(async () => {
    sim = await LlmSimulator.start();
    platform = await startSelfHostedChat({
      OPENAI_BASE_URL: sim.openaiBaseUrl,
      OPENAI_API_KEY: 'sk-self-hosted-test',
      OPENAI_MODEL: 'gpt-4.1-mini',
    });
    api = platform.url('gateway');
  }, 180_000);

  afterAll(async () => {
    await platform?.stop();
    await sim?.close();
  });

  it('streams an answer to a credential-less client and keeps it in its conversations', async () => {
    const created = await call('/api/v1/conversations', { method: 'POST', body: { title: 'At home' } });
    expect(created.status).toBe(201);
    const conversationId = (JSON.parse(created.text) as { id: string }).id;

    const streamed = await call(`/api/v1/conversations/${conversationId}/messages`, {
      method: 'POST',
      body: { content: 'hello from the living room' },
      accept: 'text/event-stream',
    });
    expect(streamed.status).toBe(200);
    const events = streamed.text
      .split('\n\n')
      .filter((frame) => frame.includes('data: '))
      .map((frame) => JSON.parse(frame.slice(frame.indexOf('data: ') + 6)) as { type: string; text?: string });
    expect(events[0]?.type).toBe('message.started');
    expect(events.at(-1)).toMatchObject({ type: 'message.completed', status: 'complete' });
    expect(
      events
        .filter((e) => e.type === 'token')
        .map((e) => e.text)
        .join(''),
    ).toBe('Echo: hello from the living room');

    const listed = await call('/api/v1/conversations');
    expect(listed.status).toBe(200);
    expect((JSON.parse(listed.text) as { items: { id: string; messageCount: number }[] }).items).toEqual([
      expect.objectContaining({ id: conversationId, messageCount: 2 }),
    ]);
  });
});
