import type { z } from 'zod';
import { scimError } from '../scim-errors';
import { ErrorCode } from '@parley/contracts';

/** Parses a SCIM body, or 400 `invalidValue` naming each problem (RFC 7644 §3.12). */
export function parseScim<S extends z.ZodType>(schema: S, body: unknown, what: string): z.infer<S> {
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; ');
    throw scimError(ErrorCode.ValidationFailed, `Invalid ${what}: ${issues}`, 'invalidValue');
  }
  return parsed.data;
}
