import type { VerifiedAccess } from '../../../access-tokens/access-token.claims';
import { TenantCommand } from '../../../authorization/tenant-command';

export class ListInvitesCommand extends TenantCommand {
  static create(access: VerifiedAccess): ListInvitesCommand {
    return new ListInvitesCommand(access);
  }
}
