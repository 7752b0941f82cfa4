import Anthropic from '@anthropic-ai/sdk';
import { countTokens } from 'gpt-tokenizer';
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { LlmSimulator, SIM_LAST_REQUEST_PATH } from './llm-simulator';

/**
 * Conformance: the official SDKs (openai@6.49.0, @anthropic-ai/sdk@1.12.0) drive the simulator as
 * they would drive the real APIs. Needs no infrastructure; lives in the integration project
 * because it opens sockets.
 */
let sim: LlmSimulator;
let anthropic: Anthropic;
let openai: OpenAI;

beforeAll(async () => {
  sim = await LlmSimulator.start({ apiKeys: ['sk-ant-test', 'sk-test'] });
  anthropic = new Anthropic({ apiKey: 'sk-ant-test', baseURL: sim.anthropicBaseUrl, maxRetries: 0 });
  openai = new OpenAI({ apiKey: 'sk-test', baseURL: sim.openaiBaseUrl, maxRetries: 0 });
});
afterAll(async () => {
  await sim.close();
});
beforeEach(() => sim.reset());

const PROMPT = 'Tell me about the ocean, in a few words';
const ECHO = `Echo: ${PROMPT}`;

describe('Anthropic Messages API', () => {
  it('streams text, usage and the stop reason through the SDK stream helper', async () => {
    const stream = anthropic.messages.stream({
      model: 'claude-sonnet-5-5',
      max_tokens: 200,
      system: 'Be brief.',
      messages: [{ role: 'user', content: PROMPT }],
    });
    const deltas: string[] = [];
    stream.on('text', (text) => deltas.push(text));
    const message = await stream.finalMessage();

    expect(deltas.length).toBeGreaterThan(3);
    expect(deltas.join('')).toBe(ECHO);
    expect(message.content).toEqual([expect.objectContaining({ type: 'text', text: ECHO })]);
    expect(message.stop_reason).toBe('end_turn');
    expect(message.id).toMatch(/^msg_/);
    expect(message.model).toBe('claude-sonnet-5-5');
    expect(message.usage.input_tokens).toBe(countTokens(`Be brief.\n${PROMPT}`));
    expect(message.usage.output_tokens).toBe(deltas.reduce((sum, d) => sum + countTokens(d), 0));
    const seen = await sim.waitFor((r) => r.completed);
    // @anthropic-ai/sdk 1.x sends the key as a bearer token; our adapter sends `x-api-key`.
    expect(seen.headers['x-api-key'] ?? seen.headers.authorization).toMatch(/^(Bearer )?sk-ant-test$/);
    expect(seen.headers['anthropic-version']).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('sends the documented event sequence on a raw stream', async () => {
    const stream = await anthropic.messages.create({
      model: 'claude-sonnet-5-5',
      max_tokens: 200,
      messages: [{ role: 'user', content: PROMPT }],
      stream: true,
    });
    const types: string[] = [];
    for await (const event of stream) {
      if (types.at(-1) !== event.type) types.push(event.type);
      if (event.type === 'message_start') expect(event.message.usage.output_tokens).toBe(1);
    }
    expect(types).toEqual([
      'message_start',
      'content_block_start',
      'content_block_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
  });

  it('answers without streaming, cut at max_tokens', async () => {
    const full = await anthropic.messages.create({
      model: 'claude-sonnet-5-5',
      max_tokens: 200,
      messages: [{ role: 'user', content: PROMPT }],
    });
    expect(full.content).toEqual([expect.objectContaining({ type: 'text', text: ECHO })]);
    expect(full.stop_reason).toBe('end_turn');
    expect(full.usage.input_tokens).toBe(countTokens(PROMPT));

    const cut = await anthropic.messages.create({
      model: 'claude-sonnet-5-5',
      max_tokens: 4,
      messages: [{ role: 'user', content: PROMPT }],
    });
    expect(cut.stop_reason).toBe('max_tokens');
    expect(cut.usage.output_tokens).toBeLessThanOrEqual(4);
    expect(ECHO.startsWith((cut.content[0] as { text: string }).text)).toBe(true);
  });

  it('surfaces 429 as RateLimitError with retry-after, and 529 as OverloadedError', async () => {
    sim.when({ promptIncludes: 'slow down' }, { status: 429, retryAfterSeconds: 7 });
    sim.when({ promptIncludes: 'busy' }, { status: 529 });
    const send = (content: string) =>
      anthropic.messages.create({ model: 'claude-sonnet-5-5', max_tokens: 50, messages: [{ role: 'user', content }] });

    const limited = await send('slow down').catch((error: unknown) => error);
    expect(limited).toBeInstanceOf(Anthropic.RateLimitError);
    expect((limited as InstanceType<typeof Anthropic.RateLimitError>).headers.get('retry-after')).toBe('7');
    expect((limited as InstanceType<typeof Anthropic.RateLimitError>).type).toBe('rate_limit_error');

    const busy = await send('busy').catch((error: unknown) => error);
    expect(busy).toBeInstanceOf(Anthropic.InternalServerError);
    expect((busy as InstanceType<typeof Anthropic.APIError>).status).toBe(529);
    expect((busy as InstanceType<typeof Anthropic.APIError>).type).toBe('overloaded_error');
  });

  it('surfaces a mid-stream error event as an APIError after the chunks before it', async () => {
    sim.when({ promptIncludes: 'break' }, { text: 'one two three four five', errorAfterChunks: 2 });
    const stream = anthropic.messages.stream({
      model: 'claude-sonnet-5-5',
      max_tokens: 50,
      messages: [{ role: 'user', content: 'break please' }],
    });
    const deltas: string[] = [];
    stream.on('text', (text) => deltas.push(text));
    const error = await stream.finalMessage().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.APIError);
    expect((error as InstanceType<typeof Anthropic.APIError>).type).toBe('overloaded_error');
    expect(deltas).toEqual(['one', ' two']);
  });

  it('refuses a wrong key (AuthenticationError) and a missing key (401 authentication_error)', async () => {
    const wrong = new Anthropic({ apiKey: 'sk-ant-wrong', baseURL: sim.anthropicBaseUrl, maxRetries: 0 });
    await expect(
      wrong.messages.create({ model: 'm', max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] }),
    ).rejects.toBeInstanceOf(Anthropic.AuthenticationError);

    const res = await fetch(`${sim.anthropicBaseUrl}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01' },
      body: JSON.stringify({ model: 'm', max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ type: 'error', error: { type: 'authentication_error' } });
  });

  it('lists models', async () => {
    const page = await anthropic.models.list();
    expect(page.data.map((m) => m.id)).toContain('claude-sonnet-5-5');
  });
});

describe('OpenAI Chat Completions API', () => {
  it('streams content, the finish reason and the final usage chunk', async () => {
    const stream = await openai.chat.completions.create({
      model: 'gpt-4.1-mini',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: PROMPT },
      ],
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks: OpenAI.Chat.Completions.ChatCompletionChunk[] = [];
    for await (const chunk of stream) chunks.push(chunk);

    expect(chunks[0]?.choices[0]?.delta.role).toBe('assistant');
    const text = chunks.map((c) => c.choices[0]?.delta.content ?? '').join('');
    expect(text).toBe(ECHO);
    expect(chunks.filter((c) => c.choices[0]?.delta.content).length).toBeGreaterThan(3);
    expect(chunks.map((c) => c.choices[0]?.finish_reason).filter(Boolean)).toEqual(['stop']);
    const last = chunks.at(-1);
    expect(last?.choices).toEqual([]);
    const promptTokens = countTokens(`Be brief.\n${PROMPT}`);
    const completionTokens = chunks.reduce((sum, c) => sum + countTokens(c.choices[0]?.delta.content ?? ''), 0);
    expect(last?.usage).toEqual({
      prompt_tokens: promptTokens,
      completion_tokens: completionTokens,
      total_tokens: promptTokens + completionTokens,
    });
    const seen = await sim.waitFor((r) => r.completed);
    expect(seen.headers.authorization).toBe('Bearer sk-test');
  });

  it('sends no usage chunk without include_usage, nor with omitUsage', async () => {
    sim.when({ promptIncludes: 'no usage' }, { omitUsage: true });
    for (const [content, includeUsage] of [
      ['plain', false],
      ['no usage', true],
    ] as const) {
      const stream = await openai.chat.completions.create({
        model: 'gpt-4.1-mini',
        messages: [{ role: 'user', content }],
        stream: true,
        ...(includeUsage ? { stream_options: { include_usage: true } } : {}),
      });
      const chunks: OpenAI.Chat.Completions.ChatCompletionChunk[] = [];
      for await (const chunk of stream) chunks.push(chunk);
      expect(chunks.every((c) => !c.usage)).toBe(true);
      expect(chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')).toBe(`Echo: ${content}`);
    }
  });

  it('answers without streaming', async () => {
    const completion = await openai.chat.completions.create({
      model: 'gpt-4.1-mini',
      messages: [{ role: 'user', content: PROMPT }],
      max_tokens: 3,
    });
    expect(completion.object).toBe('chat.completion');
    expect(completion.choices[0]?.finish_reason).toBe('length');
    expect(ECHO.startsWith(completion.choices[0]?.message.content ?? 'x')).toBe(true);
    expect(completion.usage?.prompt_tokens).toBe(countTokens(PROMPT));
    expect(completion.usage?.completion_tokens).toBeLessThanOrEqual(3);
  });

  it('surfaces 429 as RateLimitError with retry-after, and 503 as InternalServerError', async () => {
    sim.when({ promptIncludes: 'slow down', protocol: 'openai' }, { status: 429, retryAfterSeconds: 3 });
    sim.when({ promptIncludes: 'busy' }, { status: 503 });
    const send = (content: string) =>
      openai.chat.completions.create({ model: 'gpt-4.1-mini', messages: [{ role: 'user', content }] });

    const limited = await send('slow down').catch((error: unknown) => error);
    expect(limited).toBeInstanceOf(OpenAI.RateLimitError);
    expect((limited as InstanceType<typeof OpenAI.RateLimitError>).headers.get('retry-after')).toBe('3');
    expect((limited as InstanceType<typeof OpenAI.RateLimitError>).code).toBe('rate_limit_exceeded');

    const busy = await send('busy').catch((error: unknown) => error);
    expect(busy).toBeInstanceOf(OpenAI.InternalServerError);
    expect((busy as InstanceType<typeof OpenAI.InternalServerError>).status).toBe(503);
  });

  it('surfaces a mid-stream error line as an APIError after the chunks before it', async () => {
    sim.when({ promptIncludes: 'break' }, { text: 'one two three four', errorAfterChunks: 3 });
    const stream = await openai.chat.completions.create({
      model: 'gpt-4.1-mini',
      messages: [{ role: 'user', content: 'break please' }],
      stream: true,
    });
    const texts: string[] = [];
    const error = await (async () => {
      for await (const chunk of stream) texts.push(chunk.choices[0]?.delta.content ?? '');
    })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect(texts.join('')).toBe('one two three');
  });

  it('refuses a wrong key (AuthenticationError) and a missing one (401 invalid_api_key)', async () => {
    const wrong = new OpenAI({ apiKey: 'sk-wrong-0123456789', baseURL: sim.openaiBaseUrl, maxRetries: 0 });
    const error = await wrong.chat.completions
      .create({ model: 'gpt-4.1-mini', messages: [{ role: 'user', content: 'hi' }] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.AuthenticationError);
    expect((error as InstanceType<typeof OpenAI.AuthenticationError>).code).toBe('invalid_api_key');
    expect((error as InstanceType<typeof OpenAI.AuthenticationError>).message).not.toContain('sk-wrong-0123456789');

    const res = await fetch(`${sim.openaiBaseUrl}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-4.1-mini', messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({
      error: { message: expect.any(String), type: 'invalid_request_error', param: null, code: 'invalid_api_key' },
    });
  });

  it('lists models', async () => {
    const page = await openai.models.list();
    expect(page.data.map((m) => m.id)).toContain('gpt-4.1-mini');
  });
});

describe('scenarios and records', () => {
  it('applies the first matching rule, by prompt content, for `times` requests', async () => {
    sim.when({ promptIncludes: 'tenant-a' }, { text: 'for A', times: 1 });
    sim.when({ promptIncludes: 'tenant-b', model: 'other-model' }, { text: 'never' });
    sim.when({ promptIncludes: 'tenant-b' }, { chunks: ['for', ' B'] });
    const ask = async (content: string) => {
      const c = await openai.chat.completions.create({ model: 'gpt-4.1-mini', messages: [{ role: 'user', content }] });
      return c.choices[0]?.message.content;
    };
    expect(await Promise.all([ask('tenant-b x'), ask('tenant-a y'), ask('tenant-a z')])).toEqual([
      'for B',
      'for A',
      'Echo: tenant-a z',
    ]);
  });

  it('answers the latest request body it received, for a benchmark to replay (with a valid key only)', async () => {
    const messages = [
      { role: 'user' as const, content: 'first question' },
      { role: 'assistant' as const, content: 'first answer' },
      { role: 'user' as const, content: 'replay me' },
    ];
    await openai.chat.completions.create({ model: 'gpt-4.1-mini', messages });
    const last = await fetch(`${sim.url}${SIM_LAST_REQUEST_PATH}`, { headers: { authorization: 'Bearer sk-test' } });
    expect(last.status).toBe(200);
    expect(await last.json()).toMatchObject({ model: 'gpt-4.1-mini', messages });
    const refused = await fetch(`${sim.url}${SIM_LAST_REQUEST_PATH}`, { headers: { authorization: 'Bearer nope' } });
    expect(refused.status).toBe(401);
  });

  it('records a client that goes away as aborted, and a scripted disconnect as not', async () => {
    sim.when({ promptIncludes: 'slow' }, { text: 'a b c d e f g h', tokenDelayMs: 200 });
    sim.when({ promptIncludes: 'cut' }, { text: 'a b c d', disconnectAfterChunks: 2 });
    const controller = new AbortController();
    const stream = await openai.chat.completions.create(
      { model: 'gpt-4.1-mini', messages: [{ role: 'user', content: 'slow' }], stream: true },
      { signal: controller.signal },
    );
    for await (const chunk of stream) {
      if (chunk.choices[0]?.delta.content) break;
    }
    const aborted = await sim.waitFor((r) => r.prompt === 'slow' && r.aborted);
    expect(aborted.completed).toBe(false);

    const res = await fetch(`${sim.openaiBaseUrl}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer sk-test' },
      body: JSON.stringify({ model: 'gpt-4.1-mini', stream: true, messages: [{ role: 'user', content: 'cut' }] }),
    });
    await expect(res.text()).rejects.toThrow();
    const cut = await sim.waitFor((r) => r.prompt === 'cut' && r.disconnected);
    expect(cut).toMatchObject({ aborted: false, completed: false, status: 200 });
  });

  it('pads the default answer to the configured number of chunks', async () => {
    const padded = await LlmSimulator.start({ chunks: 6 });
    try {
      const client = new OpenAI({ apiKey: 'k', baseURL: padded.openaiBaseUrl, maxRetries: 0 });
      const stream = await client.chat.completions.create({
        model: 'm',
        messages: [{ role: 'user', content: 'hi' }],
        stream: true,
      });
      const texts: string[] = [];
      for await (const chunk of stream) if (chunk.choices[0]?.delta.content) texts.push(chunk.choices[0].delta.content);
      expect(texts).toEqual(['Echo:', ' hi', ' lorem', ' ipsum', ' dolor', ' sit']);
    } finally {
      await padded.close();
    }
  });
});
