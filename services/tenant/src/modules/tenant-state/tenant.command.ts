import { z } from 'zod';
import { DomainException, ErrorCode } from '@parley/contracts';
import { assertTenantId, type TenantId } from '@parley/tenancy';

/** Who asked for a change, as internal callers name themselves in `x-actor` (`billing`, `user:<id>`…). */
export const actorSchema = z
  .string()
  .regex(/^[A-Za-z0-9._:@/-]{1,200}$/, 'must be 1-200 characters of A-Z, a-z, 0-9 and ._:@/-')
  .default('internal-api');

export const reasonSchema = z.string().trim().min(1).max(500);

/**
 * Base of every command on one tenant: a valid tenant id (`invalid_tenant_id` otherwise) and the
 * actor recorded in the audit trail. Subclasses validate their own fields with `parse`.
 */
export abstract class TenantCommand {
  protected constructor(
    readonly tenantId: TenantId,
    readonly actor: string,
  ) {}

  protected static base(input: { tenantId?: unknown; actor?: unknown }): { tenantId: TenantId; actor: string } {
    const tenantId = assertTenantId(input.tenantId);
    return { tenantId, actor: parse(actorSchema, input.actor, 'x-actor') };
  }
}

/** Parses input against a schema; a failure is `validation_failed` (400) listing each issue. */
export function parse<S extends z.ZodType>(schema: S, input: unknown, what: string): z.infer<S> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    throw new DomainException(ErrorCode.ValidationFailed, `Invalid ${what}`, {
      issues: parsed.error.issues.map((i) => `${[what, ...i.path].join('.')}: ${i.message}`),
    });
  }
  return parsed.data;
}
