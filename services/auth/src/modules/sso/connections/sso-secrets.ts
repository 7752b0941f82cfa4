import { KeyEncryption, keyEncryptionKey, type AppConfig } from '@parley/config';
import type { Logger } from '@parley/observability';

/** What the admin API shows of a secret: its last four characters when it is long enough to spare them. */
export function secretHint(secret: string): string {
  return secret.length >= 16 ? `…${secret.slice(-4)}` : '…';
}

/**
 * Connections' secrets (the OIDC client secret, the LDAP bind password) sealed at rest with
 * AES-256-GCM under AUTH_KEY_ENCRYPTION_KEY (as the signing keys are; without one, development and
 * test only, a fixed development key with a warning), the connection id as associated data, so a
 * sealed secret copied onto another connection does not open.
 */
export class SsoSecrets {
  constructor(private readonly encryption: KeyEncryption) {}

  static fromConfig(config: AppConfig, logger: Logger): SsoSecrets {
    return new SsoSecrets(
      new KeyEncryption(
        keyEncryptionKey({
          configured: config.auth?.keyEncryptionKey ?? null,
          nodeEnv: config.nodeEnv,
          variable: 'AUTH_KEY_ENCRYPTION_KEY',
          sealing: 'SSO connection secrets',
          developmentSeed: 'parley development key-encryption key',
          warn: (message) => logger.warn(message),
        }),
      ),
    );
  }

  seal(connectionId: string, secret: string): Buffer {
    return this.encryption.encrypt(Buffer.from(secret, 'utf8'), associatedData(connectionId));
  }

  /** Throws when there is none, or it was sealed for another connection or under another key. */
  open(connection: { id: string; sealedSecret: Buffer | null }): string {
    if (!connection.sealedSecret) throw new Error(`SSO connection ${connection.id} has no secret`);
    return this.encryption.decrypt(connection.sealedSecret, associatedData(connection.id)).toString('utf8');
  }
}

function associatedData(connectionId: string): string {
  return `sso-connection:${connectionId}`;
}
