import { createTenantV1Schema, createTenantV2Schema, DomainException, ErrorCode } from '@parley/contracts';

/** Validated on creation: a command that exists is a valid command. */
export class CreateTenantCommand {
  private constructor(
    readonly name: string,
    readonly slug: string,
    readonly plan: 'free' | 'pro' | 'enterprise',
    /** The sign-up saga creating it (`tenant.create.v2`); none for an operator's creation. */
    readonly signupId: string | null,
  ) {}

  /** From a `tenant.create.v1` command or the HTTP body (no sign-up). */
  static create(input: unknown): CreateTenantCommand {
    const data = parse(createTenantV1Schema, input);
    return new CreateTenantCommand(data.name, data.slug, data.plan, null);
  }

  /** From a `tenant.create.v2` command: a step of the sign-up saga. */
  static forSignup(input: unknown): CreateTenantCommand {
    const data = parse(createTenantV2Schema, input);
    return new CreateTenantCommand(data.name, data.slug, data.plan, data.signupId);
  }
}

function parse<S extends typeof createTenantV1Schema | typeof createTenantV2Schema>(
  schema: S,
  input: unknown,
): ReturnType<S['parse']> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    throw new DomainException(ErrorCode.ValidationFailed, 'Invalid tenant', {
      issues: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`),
    });
  }
  return parsed.data as ReturnType<S['parse']>;
}
