import type { NextFunction, Request, Response } from 'express';
import { DomainException, ErrorCode } from '@parley/contracts';

const MAX_DEPTH = 64;

/**
 * NUL bytes cannot be stored in Postgres text and have no business in an API payload: refuse them
 * (in the body, keys included, and the query string) with a 400 before any handler runs.
 */
export function rejectNulBytes(req: Request, _res: Response, next: NextFunction): void {
  next(nulRefusal(req.body, req.url) ?? undefined);
}

/** The same check for any adapter (Fastify runs it as a preValidation hook, after the body is parsed). */
export function nulRefusal(body: unknown, url: string): DomainException | null {
  if (containsNul(body, 0) || url.includes('%00') || url.includes('\u0000')) {
    return new DomainException(ErrorCode.ValidationFailed, 'Request contains a NUL byte');
  }
  return null;
}

function containsNul(value: unknown, depth: number): boolean {
  if (depth > MAX_DEPTH) return false;
  if (typeof value === 'string') return value.includes('\u0000');
  if (Array.isArray(value)) return value.some((item) => containsNul(item, depth + 1));
  if (value && typeof value === 'object') {
    return Object.entries(value).some(([key, item]) => key.includes('\u0000') || containsNul(item, depth + 1));
  }
  return false;
}
