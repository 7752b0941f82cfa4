import { Inject, Injectable } from '@nestjs/common';
import { LOGGER, type Logger } from '@parley/observability';
import type { PlanId } from '../../../access-tokens/access-token.claims';
import { invalidApiKey } from '../../api-key-errors';
import { ApiKeyVerifyLimiter } from '../../api-key-verify.limiter';
import { hashApiKey, sameHash } from '../../api-key-secret';
import { ApiKeysRepository } from '../../api-keys.repository';
import type { VerifyApiKeyCommand } from './verify-api-key.command';

export interface VerifiedApiKey {
  keyId: string;
  tenantId: string;
  scopes: string[];
  plan: PlanId;
  expiresAt: string | null;
}

/**
 * For the gateway (service credential), under the refused-key limit (429 once it is reached): one indexed lookup by prefix, a constant-time comparison of the sha256, then
 * revocation, expiry and the tenant. Nothing is cached here, so a revocation is refused at once;
 * the gateway may cache an answer for at most 5 s. Use is recorded at most once a minute, after the
 * answer and off its path.
 */
@Injectable()
export class VerifyApiKeyUseCase {
  private readonly touching = new Set<string>();

  constructor(
    private readonly keys: ApiKeysRepository,
    private readonly limiter: ApiKeyVerifyLimiter,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async execute(command: VerifyApiKeyCommand): Promise<VerifiedApiKey> {
    await this.limiter.assertAllowed();
    const presented = hashApiKey(command.key);
    const candidate = await this.keys.findByPrefix(command.prefix);
    if (!candidate || !sameHash(presented, candidate.hash) || !candidate.usable) {
      await this.limiter.recordRefusal();
      throw invalidApiKey();
    }
    if (!candidate.usedRecently) this.recordUse(candidate.id);
    return {
      keyId: candidate.id,
      tenantId: candidate.tenantId,
      scopes: candidate.scopes,
      plan: candidate.plan,
      expiresAt: candidate.expiresAt?.toISOString() ?? null,
    };
  }

  private recordUse(id: string): void {
    if (this.touching.has(id)) return;
    this.touching.add(id);
    void this.keys
      .touch(id)
      .catch((error: unknown) => this.logger.warn({ err: error, apiKeyId: id }, 'Could not record API key use'))
      .finally(() => this.touching.delete(id));
  }
}
