import type { Request } from 'express';
import { DomainException, ErrorCode, SSO_LIMITS } from '@parley/contracts';

/** The ACS form: SAMLResponse (base64, URL-encoded) plus RelayState. */
export const ACS_FORM_LIMIT_BYTES = SSO_LIMITS.acsFormBytes;

/**
 * An `application/x-www-form-urlencoded` body (the HTTP-POST binding), read here with its own limit
 * (the service's JSON parser leaves it alone): too large is 413, another media type 415.
 */
export async function readFormBody(req: Request, limitBytes = ACS_FORM_LIMIT_BYTES): Promise<URLSearchParams> {
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/x-www-form-urlencoded') {
    throw new DomainException(ErrorCode.UnsupportedMediaType, 'Expected an application/x-www-form-urlencoded form');
  }
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limitBytes) throw tooLarge(limitBytes);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limitBytes) throw tooLarge(limitBytes);
    chunks.push(chunk);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

function tooLarge(limit: number): DomainException {
  return new DomainException(ErrorCode.PayloadTooLarge, `The form is larger than ${limit} bytes`, { limit });
}
