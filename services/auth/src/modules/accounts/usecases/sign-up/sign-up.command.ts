import { z } from 'zod';
import { DomainException, ErrorCode, slugSchema } from '@parley/contracts';
import { isPlausibleEmail, normaliseEmail } from '../../email';

const signUpSchema = z.object({
  organizationName: z.string().trim().min(1).max(200),
  organizationSlug: slugSchema,
  email: z.string().transform(normaliseEmail).refine(isPlausibleEmail, 'must be an email address'),
  password: z.string().min(10).max(256),
  name: z.string().trim().min(1).max(200),
});

/** Validated and normalised on creation: a command that exists is a valid sign-up. */
export class SignUpCommand {
  private constructor(
    readonly organizationName: string,
    readonly organizationSlug: string,
    readonly email: string,
    readonly password: string,
    readonly name: string,
  ) {}

  static create(input: unknown): SignUpCommand {
    const parsed = signUpSchema.safeParse(input);
    if (!parsed.success) {
      throw new DomainException(ErrorCode.ValidationFailed, 'Invalid sign-up', {
        issues: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`),
      });
    }
    const d = parsed.data;
    return new SignUpCommand(d.organizationName, d.organizationSlug, d.email, d.password, d.name);
  }
}
