import { Inject, Injectable } from '@nestjs/common';
import type { DataSource, EntityManager } from 'typeorm';
import { OutboxRelay, OutboxWriter } from '@parley/bus';
import {
  DomainException,
  ErrorCode,
  TenantDeletedV1,
  TenantPurgedV1,
  tenantSignupAbandonedV1Schema,
  type MessageOf,
  type TenantSignupAbandonedV1,
} from '@parley/contracts';
import { LOGGER, type Logger } from '@parley/observability';
import { assertTenantId, DATA_SOURCE, TenantContext, tenantSchemaName, type TenantId } from '@parley/tenancy';
import { TenantSignupsRepository } from '../../tenant-signups.repository';

export type AbandonSignupOutcome = 'tenant_removed' | 'nothing_created' | 'already_abandoned';

/**
 * The sign-up saga's compensation (`tenant.signup-abandoned.v1`, sent by auth when the sign-up
 * failed after its `tenant.create.v2`; auth owns memberships, so its word that no owner was written
 * is what allows this). In one transaction: the sign-up id is remembered as abandoned (a late
 * command for it then creates nothing); the tenant it created, if any, is removed outright — its
 * schema dropped, its control-plane rows deleted, so the slug is free at once — and
 * `tenant.deleted.v1` then `tenant.purged.v1` tell the other services to forget it. A second
 * delivery finds the id abandoned and changes nothing.
 */
@Injectable()
export class AbandonSignupUseCase {
  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly signups: TenantSignupsRepository,
    private readonly outbox: OutboxWriter,
    private readonly relay: OutboxRelay,
  ) {}

  async execute(input: unknown): Promise<AbandonSignupOutcome> {
    const parsed = tenantSignupAbandonedV1Schema.safeParse(input);
    if (!parsed.success) {
      throw new DomainException(ErrorCode.ValidationFailed, 'Invalid sign-up abandonment', {
        issues: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`),
      });
    }
    const event = parsed.data;
    const outcome = await this.dataSource.transaction(async (tx) => {
      const { tenantId, wasCreated } = await this.signups.abandon(tx, event.signupId);
      if (!wasCreated) return tenantId ? 'already_abandoned' : 'nothing_created';
      await this.removeTenant(tx, assertTenantId(tenantId ?? ''), event);
      return 'tenant_removed';
    });
    if (outcome === 'tenant_removed') {
      void this.relay
        .flush()
        .catch((error: unknown) => this.logger.warn({ err: error }, 'Outbox flush failed; the relay retries'));
    }
    this.logger.info(
      { signupId: event.signupId, slug: event.slug, reason: event.reason, outcome },
      'Sign-up abandoned',
    );
    return outcome;
  }

  private async removeTenant(
    tx: EntityManager,
    tenantId: TenantId,
    event: MessageOf<typeof TenantSignupAbandonedV1>,
  ): Promise<void> {
    const rows = await tx.query<unknown[]>(`SELECT id FROM control.tenants WHERE id = $1 FOR UPDATE`, [tenantId]);
    if (rows.length === 0) return;
    const schemaName = tenantSchemaName(tenantId);
    await tx.query(`DROP SCHEMA IF EXISTS "${schemaName}" CASCADE`);
    await tx.query('DELETE FROM control.tenant_features WHERE tenant_id = $1', [tenantId]);
    await tx.query('DELETE FROM control.tenant_migrations WHERE tenant_id = $1', [tenantId]);
    // The tenant never had an owner: nobody used it, so its trail goes with it and the slug is freed.
    await tx.query('DELETE FROM control.tenant_audit WHERE tenant_id = $1', [tenantId]);
    await tx.query('DELETE FROM control.tenants WHERE id = $1', [tenantId]);
    const at = new Date().toISOString();
    await TenantContext.run(tenantId, async () => {
      await this.outbox.add(tx, TenantDeletedV1, { tenantId, deletedAt: at, purgeAfter: at });
      await this.outbox.add(tx, TenantPurgedV1, { tenantId, schemaName, purgedAt: at });
    });
    this.logger.warn({ tenantId, signupId: event.signupId, slug: event.slug }, 'Abandoned sign-up: tenant removed');
  }
}
