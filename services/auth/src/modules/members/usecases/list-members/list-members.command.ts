import type { VerifiedAccess } from '../../../access-tokens/access-token.claims';
import { TenantCommand } from '../../../authorization/tenant-command';

export class ListMembersCommand extends TenantCommand {
  static create(access: VerifiedAccess): ListMembersCommand {
    return new ListMembersCommand(access);
  }
}
