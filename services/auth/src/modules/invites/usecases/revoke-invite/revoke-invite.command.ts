import { z } from 'zod';
import { parseInput } from '../../../../common/parse-input';
import { pathIdSchema } from '../../../../common/path-id';
import type { VerifiedAccess } from '../../../access-tokens/access-token.claims';
import { TenantCommand } from '../../../authorization/tenant-command';

const schema = z.object({ id: pathIdSchema });

export class RevokeInviteCommand extends TenantCommand {
  private constructor(
    access: VerifiedAccess,
    readonly inviteId: string,
  ) {
    super(access);
  }

  static create(access: VerifiedAccess, id: string): RevokeInviteCommand {
    return new RevokeInviteCommand(access, parseInput(schema, { id }, 'invite id').id);
  }
}
