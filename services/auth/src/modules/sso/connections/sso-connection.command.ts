import { z } from 'zod';
import { parseInput } from '../../../common/parse-input';
import { pathIdSchema } from '../../../common/path-id';
import type { VerifiedAccess } from '../../access-tokens/access-token.claims';
import { TenantCommand } from '../../authorization/tenant-command';

const schema = z.object({ id: pathIdSchema });

/** A command on the caller's tenant's connections, or on one of them (`connectionId`). */
export class SsoConnectionCommand extends TenantCommand {
  private constructor(
    access: VerifiedAccess,
    readonly connectionId: string | null,
  ) {
    super(access);
  }

  static all(access: VerifiedAccess): SsoConnectionCommand {
    return new SsoConnectionCommand(access, null);
  }

  static one(access: VerifiedAccess, id: string): SsoConnectionCommand {
    return new SsoConnectionCommand(access, parseInput(schema, { id }, 'connection id').id);
  }
}
