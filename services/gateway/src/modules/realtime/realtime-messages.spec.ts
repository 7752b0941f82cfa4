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

describe('parseClientMessage: chat frames', () => {
  const conversationId = '0b8f3c2e-1a2b-4c3d-8e4f-5a6b7c8d9e0f';

  it('accepts a send (with or without requestId and model) and a stop', () => {
    const send = { type: 'message.send', requestId: 'r-1:a.b_c', conversationId, content: 'Hi', model: 'gpt-x' };
    expect(parseClientMessage(JSON.stringify(send), false)).toEqual({ ok: true, message: send });
    const bare = { type: 'message.send', conversationId, content: 'Hi' };
    expect(parseClientMessage(JSON.stringify(bare), false)).toEqual({ ok: true, message: bare });
    const stop = { type: 'message.stop', conversationId };
    expect(parseClientMessage(JSON.stringify(stop), false)).toEqual({ ok: true, message: stop });
  });

  it.each([
    ['no content', { type: 'message.send', conversationId }],
    ['empty content', { type: 'message.send', conversationId, content: '' }],
    ['a NUL in content', { type: 'message.send', conversationId, content: 'a\u0000' }],
    ['an upper-case id', { type: 'message.send', conversationId: conversationId.toUpperCase(), content: 'x' }],
    ['a path as id', { type: 'message.send', conversationId: '../x', content: 'x' }],
    ['a request id with a space', { type: 'message.send', requestId: 'a b', conversationId, content: 'x' }],
    [
      'a request id of 101 characters',
      { type: 'message.send', requestId: 'a'.repeat(101), conversationId, content: 'x' },
    ],
    ['an empty model', { type: 'message.send', conversationId, content: 'x', model: '' }],
    ['a tenant in the frame', { type: 'message.send', conversationId, content: 'x', tenantId: conversationId }],
    ['a stop with a request id', { type: 'message.stop', conversationId, requestId: 'r' }],
    ['a stop without a conversation', { type: 'message.stop' }],
  ])('calls a chat frame with %s malformed', (_what, frame) => {
    expect(parseClientMessage(JSON.stringify(frame), false)).toEqual({ ok: false, code: 'malformed_message' });
  });
});
