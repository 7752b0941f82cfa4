import { describe, expect, it } from 'vitest';
import { parseClientMessage } from './realtime-messages';

describe('parseClientMessage', () => {
  it('accepts a ping', () => {
    expect(parseClientMessage('{"type":"ping"}', false)).toEqual({ ok: true, message: { type: 'ping' } });
  });

  it.each([
    ['bad JSON', 'not json', false],
    ['a JSON array', '[1]', false],
    ['null', 'null', false],
    ['no type', '{"kind":"ping"}', false],
    ['a non-string type', '{"type":1}', false],
    ['a ping with extra fields', '{"type":"ping","x":1}', false],
    ['a binary frame', '{"type":"ping"}', true],
  ])('calls %s malformed', (_what, data, isBinary) => {
    expect(parseClientMessage(data, isBinary)).toEqual({ ok: false, code: 'malformed_message' });
  });

  it('calls a well-formed message of an unknown type unknown', () => {
    expect(parseClientMessage('{"type":"subscribe","conversationId":"c"}', false)).toEqual({
      ok: false,
      code: 'unknown_message',
    });
  });
});
