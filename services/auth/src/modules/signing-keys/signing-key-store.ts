import { Inject, Injectable } from '@nestjs/common';
import type { CryptoKey } from 'jose';
import { APP_CONFIG, type AppConfig } from '@parley/config';
import { DomainException, ErrorCode } from '@parley/contracts';
import { authSettings } from '../../auth-settings';
import { KeyEncryption } from './key-encryption';
import { importPrivateKey, importPublicKey, type PublicJwk } from './signing-key';
import { SigningKeysRepository, type StoredSigningKey } from './signing-keys.repository';

/** How long this replica trusts its copy of the key set (another replica may have rotated). */
const CACHE_MS = 5000;
/** An unknown kid reloads the key set at most this often, so junk kids cannot flood the database. */
const MIN_RELOAD_MS = 1000;

interface VerificationKey {
  jwk: PublicJwk;
  key: CryptoKey;
  retiredAt: Date | null;
}

interface KeySet {
  loadedAt: number;
  signer: { kid: string; privateKey: CryptoKey } | null;
  verifiers: Map<string, VerificationKey>;
}

/**
 * This replica's view of the signing keys: the active private key (decrypted once per key) and the
 * public keys that may still verify a token, reloaded from Postgres every few seconds and at once
 * on an unknown kid, so a rotation on any replica reaches every replica.
 */
@Injectable()
export class SigningKeyStore {
  private keys: KeySet | undefined;
  private loading: Promise<KeySet> | undefined;
  private readonly privateKeys = new Map<string, CryptoKey>();
  private readonly publicKeys = new Map<string, CryptoKey>();
  private readonly accessTtlMs: number;

  constructor(
    private readonly repository: SigningKeysRepository,
    private readonly encryption: KeyEncryption,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.accessTtlMs = authSettings(config).accessTokenTtlSeconds * 1000;
  }

  /** The active key, which signs every new token. */
  async signer(): Promise<{ kid: string; privateKey: CryptoKey }> {
    let keys = await this.current();
    if (!keys.signer) keys = await this.reload();
    if (!keys.signer) throw new DomainException(ErrorCode.ServiceUnavailable, 'No active signing key', undefined, true);
    return keys.signer;
  }

  /** The public key for a kid, if that key may still verify tokens; undefined otherwise. */
  async verificationKey(kid: string): Promise<CryptoKey | undefined> {
    let keys = await this.current();
    if (!keys.verifiers.has(kid)) keys = await this.reloadThrottled(keys);
    const entry = keys.verifiers.get(kid);
    return entry && this.mayVerify(entry) ? entry.key : undefined;
  }

  /** The JWKS content: the active key and each retired key whose tokens may still be valid. */
  async publishedKeys(): Promise<PublicJwk[]> {
    const keys = await this.current();
    return [...keys.verifiers.values()].filter((entry) => this.mayVerify(entry)).map((entry) => entry.jwk);
  }

  /** Forget the cached set (after a rotation on this replica). */
  invalidate(): void {
    this.keys = undefined;
  }

  private mayVerify(entry: VerificationKey): boolean {
    return entry.retiredAt === null || entry.retiredAt.getTime() + this.accessTtlMs > Date.now();
  }

  private current(): Promise<KeySet> {
    if (this.keys && Date.now() - this.keys.loadedAt < CACHE_MS) return Promise.resolve(this.keys);
    return this.reload();
  }

  /** A reload for an unknown kid, at most one per MIN_RELOAD_MS (a key made a moment ago still arrives). */
  private async reloadThrottled(seen: KeySet): Promise<KeySet> {
    const wait = seen.loadedAt + MIN_RELOAD_MS - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    if (this.keys && this.keys.loadedAt > seen.loadedAt) return this.keys;
    return this.reload();
  }

  private reload(): Promise<KeySet> {
    this.loading ??= this.load()
      .then((keys) => (this.keys = keys))
      .finally(() => (this.loading = undefined));
    return this.loading;
  }

  private async load(): Promise<KeySet> {
    const stored = await this.repository.listVerifiable(this.accessTtlMs / 1000);
    const verifiers = new Map<string, VerificationKey>();
    let signer: KeySet['signer'] = null;
    for (const row of stored) {
      verifiers.set(row.kid, { jwk: row.publicJwk, key: await this.publicKey(row), retiredAt: row.retiredAt });
      if (row.retiredAt === null && row.privateKeyEnc) {
        signer = { kid: row.kid, privateKey: await this.privateKey(row.kid, row.privateKeyEnc) };
      }
    }
    for (const kid of this.publicKeys.keys()) if (!verifiers.has(kid)) this.publicKeys.delete(kid);
    return { loadedAt: Date.now(), signer, verifiers };
  }

  private async publicKey(row: StoredSigningKey): Promise<CryptoKey> {
    let key = this.publicKeys.get(row.kid);
    if (!key) {
      key = await importPublicKey(row.publicJwk);
      this.publicKeys.set(row.kid, key);
    }
    return key;
  }

  private async privateKey(kid: string, sealed: Buffer): Promise<CryptoKey> {
    let key = this.privateKeys.get(kid);
    if (!key) {
      key = await importPrivateKey(this.encryption, kid, sealed);
      this.privateKeys.clear(); // only the active key is ever needed
      this.privateKeys.set(kid, key);
    }
    return key;
  }
}
