import { z } from 'zod';
import { parseInput } from '../../../../common/parse-input';
import { ROLES, type Role, type VerifiedAccess } from '../../../access-tokens/access-token.claims';
import { isPlausibleEmail, normaliseEmail } from '../../../accounts/email';
import { TenantCommand } from '../../../authorization/tenant-command';

const schema = z.object({
  email: z.string().max(254).transform(normaliseEmail).refine(isPlausibleEmail, 'must be an email address'),
  role: z.enum(ROLES),
});

export class CreateInviteCommand extends TenantCommand {
  private constructor(
    access: VerifiedAccess,
    readonly email: string,
    readonly role: Role,
  ) {
    super(access);
  }

  static create(access: VerifiedAccess, body: unknown): CreateInviteCommand {
    const input = parseInput(schema, body, 'invite');
    return new CreateInviteCommand(access, input.email, input.role);
  }
}
