import { z } from 'zod';
import { parseInput } from '../../../../common/parse-input';
import type { VerifiedAccess } from '../../../access-tokens/access-token.claims';
import { TenantCommand } from '../../../authorization/tenant-command';
import { pathIdSchema } from '../../../../common/path-id';

const schema = z.object({ userId: pathIdSchema });

export class RemoveMemberCommand extends TenantCommand {
  private constructor(
    access: VerifiedAccess,
    readonly userId: string,
  ) {
    super(access);
  }

  static create(access: VerifiedAccess, userId: string): RemoveMemberCommand {
    return new RemoveMemberCommand(access, parseInput(schema, { userId }, 'member id').userId);
  }
}
