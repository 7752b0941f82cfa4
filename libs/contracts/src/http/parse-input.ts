import type { z } from 'zod';
import { DomainException } from '../errors/domain.exception';
import { ErrorCode } from '../errors/error-code';

/** Parses an HTTP body or query with its contract schema, or throws 400 `validation_failed` listing every issue. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, what: string): z.infer<S> {
  const parsed = schema.safeParse(input ?? {});
  if (!parsed.success) {
    throw new DomainException(ErrorCode.ValidationFailed, `Invalid ${what}`, {
      issues: parsed.error.issues.map((i) => `${i.path.join('.') || '(input)'}: ${i.message}`),
    });
  }
  return parsed.data;
}
