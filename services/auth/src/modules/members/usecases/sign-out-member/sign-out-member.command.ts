import { z } from 'zod';
import { parseInput } from '../../../../common/parse-input';
import { pathIdSchema } from '../../../../common/path-id';
import type { VerifiedAccess } from '../../../access-tokens/access-token.claims';
import { TenantCommand } from '../../../authorization/tenant-command';

const schema = z.object({ userId: pathIdSchema });

/** Sign a member of the caller's tenant out everywhere (`POST /auth/members/:userId/sign-out`). */
export class SignOutMemberCommand extends TenantCommand {
  private constructor(
    access: VerifiedAccess,
    readonly userId: string,
  ) {
    super(access);
  }

  static create(access: VerifiedAccess, userId: string): SignOutMemberCommand {
    return new SignOutMemberCommand(access, parseInput(schema, { userId }, 'member id').userId);
  }
}
