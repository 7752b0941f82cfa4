import { isUtf8 } from 'node:buffer';
import type { IncomingMessage } from 'node:http';
import { DomainException, ErrorCode } from '@parley/contracts';

export interface JsonLimits {
  maxDepth: number;
  maxEntries: number;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;
const COMMA = 0x2c;
const LOWER_U = 0x75;

/**
 * Checks a raw JSON body before it is parsed, in one linear pass without recursion, so nothing
 * downstream (JSON.parse, re-serialisation, class-transformer, the validators) can overflow its
 * stack or spend quadratic time:
 * - the bytes are valid UTF-8 (400 `invalid_encoding`; body-parser would silently replace them);
 * - every `\u` escape of a surrogate is a proper pair (400 `invalid_encoding`: a lone surrogate
 *   breaks encodeURIComponent in validators and cannot be stored as UTF-8 text);
 * - objects/arrays nest at most `maxDepth` deep (400 `json_too_deep`);
 * - at most `maxEntries` members and elements in all (400 `json_too_large`).
 * Malformed JSON is left to JSON.parse (400 `malformed_json`).
 */
export function assertJsonShape(buf: Buffer, limits: JsonLimits): void {
  if (!isUtf8(buf)) throw new DomainException(ErrorCode.InvalidEncoding, 'Request body is not valid UTF-8');
  let depth = 0;
  let entries = 0;
  let inString = false;
  let pendingHigh = false; // the previous escape was a high surrogate: a low one must follow at once
  for (let i = 0; i < buf.length; i++) {
    const c = buf[i];
    if (inString) {
      if (c === BACKSLASH) {
        const next = buf[i + 1];
        if (next === LOWER_U) {
          const unit = Number.parseInt(buf.toString('latin1', i + 2, i + 6), 16);
          const low = unit >= 0xdc00 && unit <= 0xdfff;
          if (pendingHigh !== low) throw loneSurrogate();
          pendingHigh = unit >= 0xd800 && unit <= 0xdbff;
          i += 5;
          continue;
        }
        if (pendingHigh) throw loneSurrogate();
        i += 1;
        continue;
      }
      if (pendingHigh) throw loneSurrogate();
      if (c === QUOTE) inString = false;
      continue;
    }
    if (c === QUOTE) {
      inString = true;
    } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      depth += 1;
      entries += 1;
      if (depth > limits.maxDepth) {
        throw new DomainException(ErrorCode.JsonTooDeep, `Request body nests deeper than ${limits.maxDepth} levels`, {
          maxDepth: limits.maxDepth,
        });
      }
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      depth -= 1;
    } else if (c === COMMA) {
      entries += 1;
    }
    if (entries > limits.maxEntries) {
      throw new DomainException(
        ErrorCode.JsonTooLarge,
        `Request body has more than ${limits.maxEntries} members and elements`,
        { maxEntries: limits.maxEntries },
      );
    }
  }
}

function loneSurrogate(): DomainException {
  return new DomainException(ErrorCode.InvalidEncoding, 'Request body contains a lone UTF-16 surrogate escape');
}

/** body-parser's `verify` hook: the check runs on the decoded (decompressed) bytes of every JSON body. */
export function jsonShapeVerifier(limits: JsonLimits): (req: IncomingMessage, res: unknown, buf: Buffer) => void {
  return (_req, _res, buf) => assertJsonShape(buf, limits);
}

const CHARSET = /;\s*charset\s*=\s*"?([^";\s]+)"?/i;

/**
 * Before the body is read: on a JSON body, a declared charset other than UTF-8 is 415 `unsupported_media_type`
 * (JSON is UTF-8, RFC 8259 §8.1; body-parser would accept UTF-16/32 and the shape check assumes
 * UTF-8). Content encodings other than gzip, deflate, br and identity are refused by body-parser.
 */
export function charsetRefusal(contentType: string | undefined): DomainException | null {
  if (!contentType?.toLowerCase().includes('json')) return null;
  const charset = CHARSET.exec(contentType)?.[1]?.toLowerCase();
  if (charset === undefined || charset === 'utf-8' || charset === 'utf8') return null;
  return new DomainException(ErrorCode.UnsupportedMediaType, `Unsupported charset "${charset}": send UTF-8`);
}

/**
 * body-parser's own failures as domain errors: an unknown charset or content encoding is 415
 * `unsupported_media_type`, a body that does not decode under its declared encoding (gzip or br
 * over plain bytes) is 400 `invalid_encoding`. Returns null for anything else.
 */
export function bodyParserRefusal(error: unknown): DomainException | null {
  if (error instanceof DomainException || typeof error !== 'object' || error === null) return null;
  const { type, status } = error as { type?: unknown; status?: unknown };
  if (type === 'charset.unsupported' || type === 'encoding.unsupported') {
    return new DomainException(ErrorCode.UnsupportedMediaType, 'Unsupported charset or content encoding');
  }
  if (type === 'entity.too.large' || type === 'entity.parse.failed') return null;
  if (status === 400 && type === undefined) {
    return new DomainException(ErrorCode.InvalidEncoding, 'Request body does not match its Content-Encoding');
  }
  return null;
}
