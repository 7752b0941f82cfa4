import { z } from 'zod';
import { parseInput } from '../../../../common/parse-input';
import { ROLES, type Role, type VerifiedAccess } from '../../../access-tokens/access-token.claims';
import { TenantCommand } from '../../../authorization/tenant-command';
import { pathIdSchema } from '../../../../common/path-id';

const schema = z.object({ userId: pathIdSchema, role: z.enum(ROLES) });

export class ChangeMemberRoleCommand extends TenantCommand {
  private constructor(
    access: VerifiedAccess,
    readonly userId: string,
    readonly role: Role,
  ) {
    super(access);
  }

  static create(access: VerifiedAccess, userId: string, body: { role: unknown }): ChangeMemberRoleCommand {
    const input = parseInput(schema, { userId, role: body.role }, 'role change');
    return new ChangeMemberRoleCommand(access, input.userId, input.role);
  }
}
