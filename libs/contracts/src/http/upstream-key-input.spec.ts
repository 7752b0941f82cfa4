import { describe, expect, it } from 'vitest';
import { DomainException } from '../errors/domain.exception';
import { parseUpstreamKeyInput } from './upstream-key-input';

const refusal = (body: Parameters<typeof parseUpstreamKeyInput>[0]) => {
  try {
    parseUpstreamKeyInput(body);
  } catch (error) {
    return error instanceof DomainException ? `${error.code}: ${error.message}` : String(error);
  }
  throw new Error('accepted');
};

describe('parseUpstreamKeyInput', () => {
  it('trims the key and model, drops trailing slashes, and keeps an absent key absent', () => {
    expect(parseUpstreamKeyInput({ apiKey: ' sk-1 ', baseUrl: 'https://api.example.test/v1//', model: ' m ' })).toEqual(
      { apiKey: 'sk-1', baseUrl: 'https://api.example.test/v1', model: 'm' },
    );
    expect(parseUpstreamKeyInput({ model: 'm', baseUrl: null })).toEqual({ apiKey: null, baseUrl: null, model: 'm' });
  });

  it.each([
    [{ apiKey: 'sk 1', model: 'm' }, 'printable ASCII'],
    [{ apiKey: 'sk\u00e91', model: 'm' }, 'printable ASCII'],
    [{ model: '  ' }, 'model must not be blank'],
    [{ model: 'm', baseUrl: 'not a url' }, 'http(s) URL'],
    [{ model: 'm', baseUrl: 'ftp://x.test' }, 'http(s) URL'],
    [{ model: 'm', baseUrl: 'https://u:p@x.test' }, 'credentials'],
    [{ model: 'm', baseUrl: 'https://x.test/v1?k=1' }, 'query or fragment'],
    [{ model: 'm', baseUrl: 'https://x.test/v1#f' }, 'query or fragment'],
  ])('refuses %j with validation_failed', (body, message) => {
    const answer = refusal(body);
    expect(answer).toMatch(/^validation_failed: /);
    expect(answer).toContain(message);
  });
});
