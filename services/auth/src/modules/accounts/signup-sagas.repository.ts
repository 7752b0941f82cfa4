import { Inject, Injectable } from '@nestjs/common';
import type { DataSource, EntityManager } from 'typeorm';
import { DATA_SOURCE } from '@parley/tenancy';

export interface SignupSaga {
  signupId: string;
  slug: string;
}

/** `auth.signup_sagas`: the cloud sign-ups in flight (see the 0003 migration). */
@Injectable()
export class SignupSagasRepository {
  constructor(@Inject(DATA_SOURCE) private readonly dataSource: DataSource) {}

  /** Written before the command is sent: a sign-up that cannot record itself sends nothing. */
  async begin(saga: SignupSaga, expiresInMs: number): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO auth.signup_sagas (signup_id, slug, expires_at)
       VALUES ($1, $2, now() + make_interval(secs => $3::double precision / 1000))`,
      [saga.signupId, saga.slug, expiresInMs],
    );
  }

  /**
   * Ends the saga inside the caller's transaction; false when it had already ended (the sweep
   * abandoned it): the caller must then not complete it.
   */
  async end(manager: EntityManager, signupId: string): Promise<boolean> {
    const [, affected] = await manager.query<[unknown[], number]>(
      `DELETE FROM auth.signup_sagas WHERE signup_id = $1`,
      [signupId],
    );
    return affected > 0;
  }

  /** Takes (and deletes) up to `limit` expired sagas, skipping rows another replica holds. */
  async takeExpired(manager: EntityManager, limit: number): Promise<SignupSaga[]> {
    const [rows] = await manager.query<[{ signup_id: string; slug: string }[], number]>(
      `DELETE FROM auth.signup_sagas WHERE signup_id IN (
         SELECT signup_id FROM auth.signup_sagas WHERE expires_at < now()
          ORDER BY expires_at LIMIT $1 FOR UPDATE SKIP LOCKED)
       RETURNING signup_id, slug`,
      [limit],
    );
    return rows.map((row) => ({ signupId: row.signup_id, slug: row.slug }));
  }
}
