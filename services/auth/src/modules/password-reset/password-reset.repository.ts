import { Inject, Injectable } from '@nestjs/common';
import type { DataSource, EntityManager } from 'typeorm';
import { DATA_SOURCE } from '@parley/tenancy';
import { modify } from '../../common/sql';

/** A reset token's state, locked for its single use. `usable`: sent and not used (expiry apart). */
export interface ResetTokenState {
  userId: string;
  email: string;
  usable: boolean;
  expired: boolean;
}

/** `auth.password_resets`: single-use tokens stored as sha256, usable only once their mail was sent. */
@Injectable()
export class PasswordResetRepository {
  constructor(@Inject(DATA_SOURCE) private readonly dataSource: DataSource) {}

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  async insert(userId: string, hash: Buffer, ttlSeconds: number): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO auth.password_resets (token_hash, user_id, expires_at)
       VALUES ($1, $2, now() + make_interval(secs => $3))`,
      [hash, userId, ttlSeconds],
    );
  }

  async markSent(hash: Buffer): Promise<void> {
    await modify(this.dataSource, `UPDATE auth.password_resets SET sent_at = now() WHERE token_hash = $1`, [hash]);
  }

  async delete(hash: Buffer): Promise<void> {
    await modify(this.dataSource, `DELETE FROM auth.password_resets WHERE token_hash = $1`, [hash]);
  }

  async lock(manager: EntityManager, hash: Buffer): Promise<ResetTokenState | null> {
    const rows = await manager.query<{ user_id: string; email: string; usable: boolean; expired: boolean }[]>(
      `SELECT r.user_id, u.email, r.sent_at IS NOT NULL AND r.used_at IS NULL AS usable, r.expires_at <= now() AS expired
         FROM auth.password_resets r
         JOIN auth.users u ON u.id = r.user_id
        WHERE r.token_hash = $1
        FOR UPDATE OF r`,
      [hash],
    );
    const r = rows[0];
    return r ? { userId: r.user_id, email: r.email, usable: r.usable, expired: r.expired } : null;
  }

  /** Uses up every open token of the user (the one presented and any older ones). */
  async useAllOf(manager: EntityManager, userId: string): Promise<void> {
    await modify(manager, `UPDATE auth.password_resets SET used_at = now() WHERE user_id = $1 AND used_at IS NULL`, [
      userId,
    ]);
  }
}
