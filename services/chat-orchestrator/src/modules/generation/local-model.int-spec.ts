import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchLocalModel, LOCAL_MODEL_ID, LocalLlmServer } from '@parley/local-llm';
import { ChatStack, type Caller } from '../../testing/chat-stack';

// What `npm start` runs without a provider key: the real local model (Gemma 3 270M, fetched into
// ~/.cache/parley/models on first use) behind its OpenAI-compatible endpoint, reached by the
// unchanged OpenAI adapter through the platform's chat route.
describe('chat answered by the local demo model', () => {
  let local: LocalLlmServer;
  let stack: ChatStack;
  let caller: Caller;

  beforeAll(async () => {
    local = await LocalLlmServer.start({ modelPath: await fetchLocalModel(), contextSize: 2048, maxTokens: 24 });
    stack = await ChatStack.start({
      CHAT_PROVIDER_CHAIN: 'openai',
      ANTHROPIC_API_KEY: undefined,
      ANTHROPIC_BASE_URL: undefined,
      OPENAI_API_KEY: undefined,
      OPENAI_BASE_URL: local.baseUrl,
      OPENAI_MODEL: LOCAL_MODEL_ID,
      OPENAI_LOCAL_DEMO: 'true',
    });
    caller = await stack.caller();
  }, 900_000);

  afterAll(async () => {
    await stack?.stop();
    await local?.close();
  });

  it('streams a non-empty answer over the chat route and stores it', async () => {
    const id = await stack.conversation(caller);
    const res = await stack.stream(caller, id, { content: 'Hello! What is the capital of France?' });
    expect(res.status).toBe(200);
    const [started, ...rest] = res.events;
    expect(started).toMatchObject({ type: 'message.started', provider: 'global:openai', model: LOCAL_MODEL_ID });
    const text = rest.map((e) => (e.type === 'token' ? e.text : '')).join('');
    expect(text.trim().length).toBeGreaterThan(0);
    const completed = res.events.at(-1);
    expect(completed).toMatchObject({ type: 'message.completed', status: 'complete' });
    expect(completed?.type === 'message.completed' ? completed.usage.completionTokens : 0).toBeGreaterThan(0);
    expect(completed?.type === 'message.completed' ? completed.usage.estimated : true).toBe(false);
    const [row] = await stack.rows(
      caller.tenantId,
      `SELECT content, status FROM {schema}.messages WHERE role = 'assistant'`,
    );
    expect(row).toEqual({ content: text, status: 'complete' });
  });

  it('lists the local demo model as such to any member', async () => {
    const res = await stack.call({ ...caller, role: 'member' }, 'GET', '/chat/models');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      items: [{ provider: 'global:openai', kind: 'openai', model: LOCAL_MODEL_ID, localDemo: true }],
      localDemoOnly: true,
    });
  });

  it("puts a tenant's own provider first and is then no longer the only one", async () => {
    const admin = { ...caller, role: 'admin' as const };
    const put = await stack.call(admin, 'PUT', '/chat/providers/anthropic', {
      apiKey: 'sk-ant-tenant-key-9999',
      model: 'claude-sonnet-4-5',
    });
    expect(put.status).toBe(200);
    const res = await stack.call(caller, 'GET', '/chat/models');
    expect(res.body).toEqual({
      items: [
        { provider: 'tenant:anthropic', kind: 'anthropic', model: 'claude-sonnet-4-5', localDemo: false },
        { provider: 'global:openai', kind: 'openai', model: LOCAL_MODEL_ID, localDemo: true },
      ],
      localDemoOnly: false,
    });
    // another tenant does not see it
    const other = await stack.call(await stack.caller(), 'GET', '/chat/models');
    expect(other.body.items).toHaveLength(1);
  });
});
