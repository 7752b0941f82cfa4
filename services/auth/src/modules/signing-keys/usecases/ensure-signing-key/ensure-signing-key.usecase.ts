import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { LOGGER, type Logger } from '@parley/observability';
import { KeyEncryption } from '../../key-encryption';
import { generateSigningKey } from '../../signing-key';
import { SigningKeyStore } from '../../signing-key-store';
import { SigningKeysRepository } from '../../signing-keys.repository';

/**
 * At start (after the schema migrations, which run in onModuleInit): make sure an active signing
 * key exists. Under the advisory lock, so two replicas starting together create only one.
 */
@Injectable()
export class EnsureSigningKeyUseCase implements OnApplicationBootstrap {
  constructor(
    private readonly repository: SigningKeysRepository,
    private readonly encryption: KeyEncryption,
    private readonly store: SigningKeyStore,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.execute();
  }

  async execute(): Promise<{ kid: string; created: boolean }> {
    const outcome = await this.repository.inLock(async (manager) => {
      const existing = await this.repository.activeKid(manager);
      if (existing) return { kid: existing, created: false };
      const key = await generateSigningKey(this.encryption);
      await this.repository.insertActive(manager, key);
      return { kid: key.kid, created: true };
    });
    if (outcome.created) {
      this.store.invalidate();
      this.logger.info({ kid: outcome.kid }, 'First access-token signing key created');
    }
    return outcome;
  }
}
