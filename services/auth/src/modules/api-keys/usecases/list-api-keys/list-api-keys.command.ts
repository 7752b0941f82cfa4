import type { VerifiedAccess } from '../../../access-tokens/access-token.claims';
import { TenantCommand } from '../../../authorization/tenant-command';

export class ListApiKeysCommand extends TenantCommand {
  static create(access: VerifiedAccess): ListApiKeysCommand {
    return new ListApiKeysCommand(access);
  }
}
