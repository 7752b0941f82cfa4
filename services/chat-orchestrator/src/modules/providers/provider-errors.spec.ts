import { describe, expect, it } from 'vitest';
import { anthropicFinishReason } from './anthropic.provider';
import { openAiFinishReason } from './openai.provider';
import { errorForStatus, errorForStreamEvent, kindForStatus, redactSecrets, retryAfterMs } from './provider-errors';

describe('kindForStatus', () => {
  it.each([
    [429, 'rate_limited'],
    [529, 'overloaded'],
    [503, 'overloaded'],
    [500, 'server_error'],
    [502, 'server_error'],
    [400, 'bad_request'],
    [404, 'bad_request'],
    [413, 'bad_request'],
    [422, 'bad_request'],
    [401, 'auth'],
    [403, 'auth'],
    [408, 'timeout'],
    [302, 'protocol'],
  ])('%i → %s', (status, kind) => {
    expect(kindForStatus(status)).toBe(kind);
  });
});

describe('retryAfterMs', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');
  it('reads seconds, fractions, HTTP dates and retry-after-ms (which wins)', () => {
    expect(retryAfterMs({ 'retry-after': '7' }, now)).toBe(7000);
    expect(retryAfterMs({ 'retry-after': '0.5' }, now)).toBe(500);
    expect(retryAfterMs({ 'retry-after': 'Thu, 01 Jan 2026 00:00:30 GMT' }, now)).toBe(30_000);
    expect(retryAfterMs({ 'retry-after': 'Wed, 31 Dec 2025 00:00:00 GMT' }, now)).toBe(0);
    expect(retryAfterMs({ 'retry-after-ms': '1234.2', 'retry-after': '7' }, now)).toBe(1235);
  });

  it('is undefined when absent or unreadable', () => {
    expect(retryAfterMs({}, now)).toBeUndefined();
    expect(retryAfterMs({ 'retry-after': 'soon' }, now)).toBeUndefined();
    expect(retryAfterMs({ 'retry-after-ms': '-3' }, now)).toBeUndefined();
  });
});

describe('error messages', () => {
  it('never carry the key', () => {
    const key = 'my-very-secret-key-123';
    const error = errorForStatus({
      provider: 'openai',
      status: 401,
      headers: {},
      body: JSON.stringify({ error: { message: `Incorrect API key provided: ${key}`, code: 'invalid_api_key' } }),
      apiKey: key,
    });
    expect(error.message).not.toContain(key);
    expect(error).toMatchObject({ kind: 'auth', options: { status: 401, providerCode: 'invalid_api_key' } });
    expect(redactSecrets('key sk-ant-api03-abcdefghijkl leaked')).toBe('key [redacted] leaked');
  });

  it('read the provider message, bounded, from JSON or text bodies', () => {
    const anthropic = errorForStatus({
      provider: 'anthropic',
      status: 429,
      headers: { 'retry-after': '3' },
      body: '{"type":"error","error":{"type":"rate_limit_error","message":"slow down"}}',
    });
    expect(anthropic).toMatchObject({
      kind: 'rate_limited',
      message: 'anthropic answered 429: slow down',
      options: { status: 429, retryAfterMs: 3000, providerCode: 'rate_limit_error' },
    });
    expect(
      errorForStatus({ provider: 'x', status: 502, headers: {}, body: 'x'.repeat(10_000) }).message.length,
    ).toBeLessThan(600);
  });

  it('map a mid-stream error event to its kind', () => {
    expect(
      errorForStreamEvent('anthropic', '{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}')
        .kind,
    ).toBe('overloaded');
    expect(errorForStreamEvent('openai', '{"error":{"message":"boom","type":"server_error"}}').kind).toBe(
      'server_error',
    );
    expect(errorForStreamEvent('openai', '{"error":{"message":"??"}}').kind).toBe('stream_interrupted');
  });
});

describe('finish reasons', () => {
  it('map Anthropic stop reasons', () => {
    expect(
      ['end_turn', 'stop_sequence', 'max_tokens', 'tool_use', 'refusal', 'pause_turn', null].map(anthropicFinishReason),
    ).toEqual(['stop', 'stop', 'length', 'tool_use', 'content_filter', 'other', 'other']);
  });

  it('map OpenAI finish reasons', () => {
    expect(
      ['stop', 'length', 'content_filter', 'tool_calls', 'function_call', undefined].map(openAiFinishReason),
    ).toEqual(['stop', 'length', 'content_filter', 'tool_use', 'tool_use', 'other']);
  });
});
