import { createTenantV1Schema, DomainException, ErrorCode } from '@parley/contracts';

/** Validated on creation: a command that exists is a valid command. */
export class CreateTenantCommand {
  private constructor(
    readonly name: string,
    readonly slug: string,
    readonly plan: 'free' | 'pro' | 'enterprise',
  ) {}

  static create(input: unknown): CreateTenantCommand {
    const parsed = createTenantV1Schema.safeParse(input);
    if (!parsed.success) {
      throw new DomainException(ErrorCode.ValidationFailed, 'Invalid tenant', {
        issues: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`),
      });
    }
    return new CreateTenantCommand(parsed.data.name, parsed.data.slug, parsed.data.plan);
  }
}
