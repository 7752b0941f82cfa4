import { Inject, Injectable } from '@nestjs/common';
import { LOGGER, type Logger } from '@parley/observability';
import { KeyEncryption } from '../../key-encryption';
import { generateSigningKey } from '../../signing-key';
import { SigningKeyStore } from '../../signing-key-store';
import { SigningKeysRepository } from '../../signing-keys.repository';

export interface RotationResult {
  kid: string;
  retiredKid: string | null;
}

/**
 * Rotation without downtime: a new key becomes active at once; the previous one is retired but stays
 * in the JWKS and keeps verifying until the last token it signed has expired (retired_at + access TTL).
 */
@Injectable()
export class RotateSigningKeyUseCase {
  constructor(
    private readonly repository: SigningKeysRepository,
    private readonly encryption: KeyEncryption,
    private readonly store: SigningKeyStore,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async execute(): Promise<RotationResult> {
    const key = await generateSigningKey(this.encryption);
    const retiredKid = await this.repository.inLock(async (manager) => {
      const previous = await this.repository.activeKid(manager);
      await this.repository.retireActive(manager);
      await this.repository.insertActive(manager, key);
      return previous;
    });
    this.store.invalidate();
    this.logger.info({ kid: key.kid, retiredKid }, 'Access-token signing key rotated');
    return { kid: key.kid, retiredKid };
  }
}
