import { z } from 'zod';
import { DomainException, ErrorCode, slugSchema } from '@parley/contracts';
import { normaliseClientIp } from '../../../lockout/client-ip';
import { normaliseEmail } from '../../email';

const signInSchema = z.object({
  email: z.string().max(254).transform(normaliseEmail),
  password: z.string().min(1).max(256),
  tenantSlug: slugSchema.optional(),
});

export class SignInCommand {
  private constructor(
    readonly email: string,
    readonly password: string,
    readonly tenantSlug: string | undefined,
    /** Where the attempt comes from (`req.ip`), for the per-address lockout. */
    readonly clientIp: string,
  ) {}

  static create(input: unknown, clientIp: string | undefined): SignInCommand {
    const parsed = signInSchema.safeParse(input);
    if (!parsed.success) {
      throw new DomainException(ErrorCode.ValidationFailed, 'Invalid sign-in', {
        issues: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`),
      });
    }
    return new SignInCommand(
      parsed.data.email,
      parsed.data.password,
      parsed.data.tenantSlug,
      normaliseClientIp(clientIp),
    );
  }
}
