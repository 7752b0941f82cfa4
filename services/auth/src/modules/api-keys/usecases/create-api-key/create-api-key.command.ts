import { z } from 'zod';
import { API_KEY_SCOPES, isApiKeyScope } from '@parley/contracts';
import { parseInput } from '../../../../common/parse-input';
import type { VerifiedAccess } from '../../../access-tokens/access-token.claims';
import { TenantCommand } from '../../../authorization/tenant-command';

/** Keys live at most ten years. */
const MAX_LIFETIME_MS = 10 * 366 * 24 * 3600 * 1000;

const schema = z.object({
  name: z.string().trim().min(1).max(100),
  scopes: z
    .array(z.string().refine(isApiKeyScope, `must be one of ${[...API_KEY_SCOPES, '*'].join(', ')}`))
    .min(1)
    .max(32)
    .transform((scopes) => [...new Set(scopes)]),
  expiresAt: z.iso
    .datetime({ offset: true, message: 'must be an ISO 8601 date-time with a time zone' })
    .transform((value) => new Date(value))
    .refine((date) => date.getTime() > Date.now(), 'must be in the future')
    .refine((date) => date.getTime() < Date.now() + MAX_LIFETIME_MS, 'must be within ten years')
    .optional(),
});

export class CreateApiKeyCommand extends TenantCommand {
  private constructor(
    access: VerifiedAccess,
    readonly name: string,
    readonly scopes: string[],
    readonly expiresAt: Date | null,
  ) {
    super(access);
  }

  static create(access: VerifiedAccess, body: unknown): CreateApiKeyCommand {
    const input = parseInput(schema, body, 'API key');
    return new CreateApiKeyCommand(access, input.name, input.scopes, input.expiresAt ?? null);
  }
}
