import { Inject, Injectable } from '@nestjs/common';
import type { DataSource, EntityManager } from 'typeorm';
import { DATA_SOURCE } from '@parley/tenancy';
import type { NewSigningKey, PublicJwk } from './signing-key';

/** Serialises key creation and rotation across replicas. */
const SIGNING_KEYS_LOCK = 7_134_102;

export interface StoredSigningKey {
  kid: string;
  publicJwk: PublicJwk;
  activatedAt: Date;
  retiredAt: Date | null;
  /** Only for the active key: retired keys never sign again. */
  privateKeyEnc: Buffer | null;
}

interface Row {
  kid: string;
  public_jwk: PublicJwk;
  activated_at: Date;
  retired_at: Date | null;
  private_key_pkcs8_enc: Buffer | null;
}

@Injectable()
export class SigningKeysRepository {
  constructor(@Inject(DATA_SOURCE) private readonly dataSource: DataSource) {}

  /** The active key and every retired key whose tokens may still be valid, newest first. */
  async listVerifiable(accessTokenTtlSeconds: number): Promise<StoredSigningKey[]> {
    const rows = await this.dataSource.query<Row[]>(
      `SELECT kid, public_jwk, activated_at, retired_at,
              CASE WHEN retired_at IS NULL THEN private_key_pkcs8_enc END AS private_key_pkcs8_enc
         FROM auth.signing_keys
        WHERE activated_at IS NOT NULL
          AND (retired_at IS NULL OR retired_at + make_interval(secs => $1) > now())
        ORDER BY activated_at DESC, kid`,
      [accessTokenTtlSeconds],
    );
    return rows.map((r) => ({
      kid: r.kid,
      publicJwk: r.public_jwk,
      activatedAt: r.activated_at,
      retiredAt: r.retired_at,
      privateKeyEnc: r.private_key_pkcs8_enc,
    }));
  }

  /** Runs `work` in a transaction holding the signing-keys advisory lock. */
  inLock<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(async (manager) => {
      await manager.query('SELECT pg_advisory_xact_lock($1)', [SIGNING_KEYS_LOCK]);
      return work(manager);
    });
  }

  async activeKid(manager: EntityManager): Promise<string | null> {
    const rows = await manager.query<{ kid: string }[]>(
      `SELECT kid FROM auth.signing_keys WHERE activated_at IS NOT NULL AND retired_at IS NULL`,
    );
    return rows[0]?.kid ?? null;
  }

  async retireActive(manager: EntityManager): Promise<void> {
    await manager.query(
      `UPDATE auth.signing_keys SET retired_at = now() WHERE activated_at IS NOT NULL AND retired_at IS NULL`,
    );
  }

  async insertActive(manager: EntityManager, key: NewSigningKey): Promise<void> {
    await manager.query(
      `INSERT INTO auth.signing_keys (kid, alg, public_jwk, private_key_pkcs8_enc, activated_at)
       VALUES ($1, 'EdDSA', $2, $3, now())`,
      [key.kid, JSON.stringify(key.publicJwk), key.privateKeyEnc],
    );
  }
}
