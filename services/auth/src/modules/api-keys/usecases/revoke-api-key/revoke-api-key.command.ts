import { z } from 'zod';
import { parseInput } from '../../../../common/parse-input';
import { pathIdSchema } from '../../../../common/path-id';
import type { VerifiedAccess } from '../../../access-tokens/access-token.claims';
import { TenantCommand } from '../../../authorization/tenant-command';

const schema = z.object({ id: pathIdSchema });

export class RevokeApiKeyCommand extends TenantCommand {
  private constructor(
    access: VerifiedAccess,
    readonly apiKeyId: string,
  ) {
    super(access);
  }

  static create(access: VerifiedAccess, id: string): RevokeApiKeyCommand {
    return new RevokeApiKeyCommand(access, parseInput(schema, { id }, 'API key id').id);
  }
}
