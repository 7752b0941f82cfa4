import { describe, expect, it } from 'vitest';
import { chatStreamEventSchema } from '@parley/contracts';
import { buildAsyncApiDocument } from './asyncapi-document';

type Json = Record<string, unknown>;

/** Follows a local `$ref` (`#/a/b`) in the document. */
function resolve(doc: Json, ref: string): unknown {
  expect(ref.startsWith('#/')).toBe(true);
  return ref
    .slice(2)
    .split('/')
    .reduce<unknown>((node, key) => (node as Json | undefined)?.[key], doc);
}

/** Every `$ref` anywhere in the document. */
function refsIn(node: unknown, found: string[] = []): string[] {
  if (Array.isArray(node)) node.forEach((n) => refsIn(n, found));
  else if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string') found.push(value);
      else refsIn(value, found);
    }
  }
  return found;
}

/** The `type` constants the payloads of an operation's messages allow. */
function typesOf(doc: Json, operation: string): string[] {
  const op = resolve(doc, `#/operations/${operation}`) as { messages: { $ref: string }[] };
  return op.messages.map(({ $ref }) => {
    const channelMessage = resolve(doc, $ref) as { $ref: string };
    const message = resolve(doc, channelMessage.$ref) as { payload: { $ref: string } };
    const payload = resolve(doc, message.payload.$ref) as { properties: { type: { const: string } } };
    return payload.properties.type.const;
  });
}

describe('the AsyncAPI document of /ws', () => {
  const doc = JSON.parse(JSON.stringify(buildAsyncApiDocument('gw.example:8000', true))) as Json;

  it('is AsyncAPI 3.0 with a wss server and the /ws channel, and every $ref resolves', () => {
    expect(doc.asyncapi).toBe('3.0.0');
    expect(resolve(doc, '#/servers/gateway')).toMatchObject({ host: 'gw.example:8000', protocol: 'wss' });
    expect(resolve(doc, '#/channels/ws/address')).toBe('/ws');
    const refs = refsIn(doc);
    expect(refs.length).toBeGreaterThan(20);
    for (const ref of refs) expect(resolve(doc, ref), ref).toBeDefined();
  });

  it('lists the client frames and every event type of chatStreamEventSchema among the server frames', () => {
    expect(typesOf(doc, 'receiveClientFrames')).toEqual([
      'ping',
      'message.send',
      'message.regenerate',
      'message.resend',
      'message.stop',
      'stt.start',
      'stt.stop',
      'stt.abort',
    ]);
    const server = typesOf(doc, 'sendServerFrames');
    expect(server).toEqual(
      expect.arrayContaining(['stt.started', 'stt.partial', 'stt.final', 'stt.error', 'stt.stopped']),
    );
    for (const option of chatStreamEventSchema.options) expect(server).toContain(option.shape.type.value);
    expect(server).toEqual(expect.arrayContaining(['session.ready', 'pong']));
  });

  it('carries the zod constraints into the JSON Schemas', () => {
    const send = resolve(doc, '#/components/schemas/messageSend') as Json & { properties: Record<string, Json> };
    expect(send.additionalProperties).toBe(false);
    expect(send.required).toEqual(['type', 'conversationId', 'content']);
    expect(send.properties.conversationId?.pattern).toEqual(expect.any(String));
    const token = resolve(doc, '#/components/schemas/token') as { required: string[] };
    expect(token.required).toEqual(expect.arrayContaining(['conversationId', 'messageId', 'seq', 'index', 'text']));
  });
});
