import { describe, expect, it } from 'vitest';
import { ErrorCode } from '@parley/contracts';
import { assertJsonShape, bodyParserRefusal, charsetRefusal } from './json-body-guard';

const LIMITS = { maxDepth: 8, maxEntries: 20 };
const check = (text: string | Buffer) => () =>
  assertJsonShape(typeof text === 'string' ? Buffer.from(text, 'utf8') : text, LIMITS);

describe('assertJsonShape', () => {
  it('accepts ordinary bodies, brackets and escapes inside strings included', () => {
    expect(check('{"a":[1,2,{"b":"x"}],"c":"[[[[[[[[[[{{{{{{"}')).not.toThrow();
    expect(check('{"e":"\\"quoted\\" \\\\ \\ud83d\\ude00 é 😀"}')).not.toThrow();
  });

  it.each([
    ['nesting deeper than the limit', `${'['.repeat(9)}${']'.repeat(9)}`, ErrorCode.JsonTooDeep],
    ['5,000 levels of objects', `${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`, ErrorCode.JsonTooDeep],
    ['more entries than the limit', JSON.stringify(Array.from({ length: 30 }, (_, i) => i)), ErrorCode.JsonTooLarge],
    ['a lone high surrogate', '{"email":"\\ud800@x.test"}', ErrorCode.InvalidEncoding],
    ['a lone low surrogate', '{"email":"\\udc00"}', ErrorCode.InvalidEncoding],
    ['a high surrogate at the end of a string', '{"email":"\\ud83d"}', ErrorCode.InvalidEncoding],
    ['two high surrogates', '{"e":"\\ud83d\\ud83d"}', ErrorCode.InvalidEncoding],
  ])('refuses %s', (_, body, code) => {
    expect(check(body)).toThrow(expect.objectContaining({ code }));
  });

  it('refuses bytes that are not UTF-8 (a lone continuation byte, an encoded surrogate)', () => {
    expect(check(Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0x80, 0x22, 0x7d]))).toThrow(
      expect.objectContaining({ code: ErrorCode.InvalidEncoding }),
    );
    expect(check(Buffer.from([0x22, 0xed, 0xa0, 0x80, 0x22]))).toThrow(
      expect.objectContaining({ code: ErrorCode.InvalidEncoding }),
    );
  });
});

describe('charsetRefusal and bodyParserRefusal', () => {
  it.each([
    'application/json',
    'application/json; charset=utf-8',
    'application/json;charset="UTF-8"',
    'text/plain; charset=latin1',
  ])('lets %s through', (type) => expect(charsetRefusal(type)).toBeNull());

  it.each(['application/json; charset=ebcdic', 'application/json; charset=utf-16le'])('refuses %s with 415', (type) => {
    expect(charsetRefusal(type)?.httpStatus).toBe(415);
  });

  it('maps an unknown encoding to 415 and an undecodable body to 400 invalid_encoding', () => {
    expect(bodyParserRefusal({ type: 'encoding.unsupported', status: 415 })?.code).toBe(ErrorCode.UnsupportedMediaType);
    expect(bodyParserRefusal({ status: 400, code: 'Z_DATA_ERROR' })?.code).toBe(ErrorCode.InvalidEncoding);
    expect(bodyParserRefusal({ type: 'entity.parse.failed', status: 400 })).toBeNull();
  });
});
