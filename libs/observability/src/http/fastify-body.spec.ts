import { Readable } from 'node:stream';
import type { IncomingMessage } from 'node:http';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ErrorCode } from '@parley/contracts';
import { decodeBody, parseJsonBody, readRawBody, type FastifyBodyRules } from './fastify-body';

const RULES: FastifyBodyRules = {
  limitBytes: 64,
  json: { maxDepth: 4, maxEntries: 10 },
  rawJsonPaths: [],
  rawBodyPaths: [],
};

/** A request as Fastify's parser sees it: the bare IncomingMessage with its headers. */
function request(body: Buffer | string, headers: Record<string, string> = {}): IncomingMessage {
  return Object.assign(Readable.from([Buffer.from(body)]), {
    headers: { 'content-type': 'application/json', ...headers },
  }) as unknown as IncomingMessage;
}

describe('the Fastify shell parses JSON bodies as the Express shell does', () => {
  it('parses an object or an array, and an empty body is no body', async () => {
    await expect(parseJsonBody(request('{"a":[1,2]}'), RULES)).resolves.toEqual({ a: [1, 2] });
    await expect(parseJsonBody(request(' [1]'), RULES)).resolves.toEqual([1]);
    await expect(parseJsonBody(request(''), RULES)).resolves.toBeUndefined();
  });

  it.each([
    ['a scalar (strict JSON)', request('"x"'), ErrorCode.MalformedJson],
    ['broken JSON', request('{"a":'), ErrorCode.MalformedJson],
    ['a body over the limit', request(`{"a":"${'x'.repeat(80)}"}`), ErrorCode.PayloadTooLarge],
    ['a declared length over the limit', request('{}', { 'content-length': '65' }), ErrorCode.PayloadTooLarge],
    [
      'a charset other than UTF-8',
      request('{}', { 'content-type': 'application/json; charset=ebcdic' }),
      ErrorCode.UnsupportedMediaType,
    ],
    ['nesting past the limit', request('[[[[[1]]]]]'), ErrorCode.JsonTooDeep],
    ['more entries than the limit', request('[1,2,3,4,5,6,7,8,9,10,11]'), ErrorCode.JsonTooLarge],
    ['a lone surrogate', request('{"e":"\\ud800"}'), ErrorCode.InvalidEncoding],
    ['an unknown content encoding', request('{}', { 'content-encoding': 'x-evil' }), ErrorCode.UnsupportedMediaType],
    ['gzip over plain bytes', request('{}', { 'content-encoding': 'gzip' }), ErrorCode.InvalidEncoding],
  ])('refuses %s', async (_, req, code) => {
    await expect(parseJsonBody(req, RULES)).rejects.toMatchObject({ code });
  });

  it('undoes gzip and br, bounding the decoded size by the same limit', async () => {
    await expect(parseJsonBody(request(gzipSync('{"a":1}'), { 'content-encoding': 'gzip' }), RULES)).resolves.toEqual({
      a: 1,
    });
    expect(decodeBody(brotliCompressSync('{"b":2}'), 'br', 64).toString()).toBe('{"b":2}');
    expect(() => decodeBody(gzipSync(`"${'x'.repeat(200)}"`), 'gzip', 64)).toThrow(
      expect.objectContaining({ code: ErrorCode.PayloadTooLarge }),
    );
  });

  it('keeps a signed body byte for byte, within its own bound, never content-encoded', async () => {
    await expect(readRawBody(request('{"id":"evt_1"}'), 100)).resolves.toEqual(Buffer.from('{"id":"evt_1"}'));
    await expect(readRawBody(request('x'.repeat(101)), 100)).rejects.toMatchObject({
      code: ErrorCode.PayloadTooLarge,
    });
    await expect(readRawBody(request(gzipSync('{}'), { 'content-encoding': 'gzip' }), 100)).rejects.toMatchObject({
      code: ErrorCode.UnsupportedMediaType,
    });
  });
});
