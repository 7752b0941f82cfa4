import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchLocalModel, LOCAL_MODEL_ID, LocalLlmServer } from '@parley/local-llm';
import { PlatformProcesses } from '@parley/testing';
import { startSelfHostedChat } from './support/self-hosted-chat';

interface Event {
  type: string;
  text?: string;
  messageId?: string;
  model?: string;
  status?: string;
}

/**
 * What a newcomer gets from `npm start` without a provider key: the gateway, tenant service and
 * chat-orchestrator as processes, the orchestrator's OpenAI adapter pointed at the real local demo
 * model (Gemma 3 270M, fetched into ~/.cache/parley/models on first use), login switched off.
 * The conversation routes of issue 12 are driven through the gateway as a client would.
 */
describe('chat through the gateway with the local demo model', () => {
  let local: LocalLlmServer;
  let platform: PlatformProcesses;
  let api: string;

  const call = async (path: string, init: { method?: string; body?: unknown; accept?: string } = {}) => {
    const res = await fetch(`${api}${path}`, {
      method: init.method ?? 'GET',
      headers: { 'content-type': 'application/json', accept: init.accept ?? 'application/json' },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
    const text = await res.text();
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- asserted field by field
    return { status: res.status, text, json: (): any => JSON.parse(text) };
  };
  const events = (text: string): Event[] =>
    text
      .split('\n\n')
      .filter((frame) => frame.includes('data: '))
      .map((frame) => JSON.parse(frame.slice(frame.indexOf('data: ') + 6)) as Event);

  beforeAll(async () => {
    local = await LocalLlmServer.start({ modelPath: await fetchLocalModel(), maxTokens: 24 });
    platform = await startSelfHostedChat({
      OPENAI_BASE_URL: local.baseUrl,
      OPENAI_MODEL: LOCAL_MODEL_ID,
      OPENAI_LOCAL_DEMO: 'true',
    });
    api = platform.url('gateway');
  }, 900_000);

  afterAll(async () => {
    await platform?.stop();
    await local?.close();
  });

  it('streams a real answer, finds the conversation by search, takes feedback and regenerates', async () => {
    const models = await call('/api/v1/chat/models');
    expect(models.json()).toEqual({
      items: [{ provider: 'global:openai', kind: 'openai', model: LOCAL_MODEL_ID, localDemo: true }],
      localDemoOnly: true,
    });

    const created = await call('/api/v1/conversations', { method: 'POST', body: { title: 'Capitals' } });
    expect(created.status).toBe(201);
    const id = created.json().id as string;
    const streamed = await call(`/api/v1/conversations/${id}/messages`, {
      method: 'POST',
      body: { content: 'What is the capital of France?' },
      accept: 'text/event-stream',
    });
    expect(streamed.status).toBe(200);
    const answer = events(streamed.text);
    expect(answer[0]).toMatchObject({ type: 'message.started', model: LOCAL_MODEL_ID });
    expect(answer.filter((e) => e.type === 'token').length).toBeGreaterThan(0);
    expect(
      answer
        .filter((e) => e.type === 'token')
        .map((e) => e.text)
        .join('')
        .trim().length,
    ).toBeGreaterThan(0);
    expect(answer.at(-1)).toMatchObject({ type: 'message.completed', status: 'complete' });

    const found = await call('/api/v1/conversations?q=france');
    expect(found.status).toBe(200);
    expect(found.json().items.map((c: { id: string }) => c.id)).toEqual([id]);

    const feedback = await call(`/api/v1/messages/${answer[0]?.messageId}/feedback`, {
      method: 'POST',
      body: { rating: 'up', comment: 'short and sweet' },
    });
    expect(feedback.status).toBe(200);
    expect(feedback.json()).toMatchObject({ rating: 'up', comment: 'short and sweet' });

    const again = await call(`/api/v1/conversations/${id}/regenerate`, { method: 'POST', body: {} });
    expect(again.status, again.text).toBe(201);
    expect(again.json().userMessage.content).toBe('What is the capital of France?');
    expect(again.json().assistantMessage.id).not.toBe(answer[0]?.messageId);
    const messages = await call(`/api/v1/conversations/${id}/messages`);
    expect(messages.json().items).toHaveLength(2);

    const pinned = await call(`/api/v1/conversations/${id}`, { method: 'PATCH', body: { pinned: true } });
    expect(pinned.json()).toMatchObject({ id, pinned: true });
  });
});
