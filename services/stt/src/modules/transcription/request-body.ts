import type { Request } from 'express';
import { DomainException, ErrorCode } from '@parley/contracts';

/** The whole request body, refused with 413 `payload_too_large` as soon as it passes `maxBytes`. */
export async function readBody(req: Request, maxBytes: number): Promise<Buffer> {
  const tooLarge = () =>
    new DomainException(ErrorCode.PayloadTooLarge, `The body is larger than ${maxBytes} bytes`, { limit: maxBytes });
  if (Number(req.headers['content-length'] ?? 0) > maxBytes) throw tooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) throw tooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}
