import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { OutboxRelay, OutboxWriter } from '@parley/bus';
import { APP_CONFIG, type AppConfig } from '@parley/config';
import { DomainException, ErrorCode, TenantCreatedV1, type MessageOf } from '@parley/contracts';
import { LOGGER, RequestContext, type Logger } from '@parley/observability';
import { DATA_SOURCE, TenantContext, TenantEntity, TenantMigrationRunner, tenantSchemaName } from '@parley/tenancy';
import { TenantAuditRepository } from '../../../tenant-state/tenant-audit.repository';
import { TenantSignupsRepository, type SignupClaim } from '../../tenant-signups.repository';
import type { CreateTenantCommand } from './create-tenant.command';

/** Serialises tenant creation, so the self-hosted single-tenant rule and slug checks hold. */
const CREATE_LOCK = 7_134_002;

/**
 * Creates a tenant: the control-plane row, its schema at the latest version, the audit entry and
 * the `tenant.created.v1` outbox row in one transaction; the outbox relay publishes the event right
 * after the commit (or later, after a crash). Self-hosted deployments hold exactly one tenant.
 * For a sign-up (`tenant.create.v2`) the sign-up id is recorded with the tenant: a redelivered
 * command answers with the tenant it created, and one whose sign-up auth abandoned creates nothing.
 */
@Injectable()
export class CreateTenantUseCase {
  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly migrations: TenantMigrationRunner,
    private readonly outbox: OutboxWriter,
    private readonly relay: OutboxRelay,
    private readonly audit: TenantAuditRepository,
    private readonly signups: TenantSignupsRepository,
  ) {}

  async execute(command: CreateTenantCommand): Promise<MessageOf<typeof TenantCreatedV1>> {
    const id = randomUUID();
    const schemaName = tenantSchemaName(id);
    const runner = this.dataSource.createQueryRunner();
    let event: MessageOf<typeof TenantCreatedV1>;
    await runner.connect();
    try {
      await runner.startTransaction();
      await runner.query('SELECT pg_advisory_xact_lock($1)', [CREATE_LOCK]);
      const tenants = runner.manager.getRepository(TenantEntity);
      if (this.config.deploymentMode === 'self-hosted' && (await tenants.count()) > 0) {
        throw new DomainException(ErrorCode.TenantLimitReached, 'A self-hosted deployment has exactly one tenant');
      }
      const claim: SignupClaim = command.signupId
        ? await this.signups.claim(runner, command.signupId, id)
        : { kind: 'new' };
      if (claim.kind === 'abandoned') {
        throw new DomainException(ErrorCode.SignupAbandoned, 'This sign-up was abandoned; nothing is created', {
          signupId: command.signupId,
        });
      }
      if (claim.kind === 'created') {
        // A redelivered command of a sign-up that already created its tenant: the same answer.
        const earlier = await tenants.findOneByOrFail({ id: claim.tenantId });
        await runner.rollbackTransaction();
        return {
          tenantId: earlier.id,
          name: earlier.name,
          slug: earlier.slug,
          plan: earlier.planId as MessageOf<typeof TenantCreatedV1>['plan'],
          deploymentMode: earlier.deploymentMode,
          schemaName: earlier.schemaName,
          createdAt: earlier.createdAt.toISOString(),
        };
      }
      if (await tenants.existsBy({ slug: command.slug })) {
        throw new DomainException(ErrorCode.TenantSlugTaken, `The slug "${command.slug}" is taken`, {
          slug: command.slug,
        });
      }
      const created = await tenants.save(
        tenants.create({
          id,
          slug: command.slug,
          name: command.name,
          planId: command.plan,
          deploymentMode: this.config.deploymentMode,
          schemaName,
          status: 'active',
          schemaVersion: null,
        }),
      );
      await this.migrations.provision(runner, id);
      const userId = RequestContext.current()?.userId;
      await this.audit.add(runner, id, {
        action: 'created',
        actor: userId ? `user:${userId}` : 'system',
        details: { slug: command.slug, plan: command.plan },
      });
      event = {
        tenantId: id,
        name: created.name,
        slug: created.slug,
        plan: command.plan,
        deploymentMode: created.deploymentMode,
        schemaName,
        createdAt: created.createdAt.toISOString(),
      };
      // Announced in the same transaction: committed together, published by the relay.
      await TenantContext.run(id, () => this.outbox.add(runner, TenantCreatedV1, event));
      await runner.commitTransaction();
    } catch (error) {
      if (runner.isTransactionActive) await runner.rollbackTransaction();
      throw error;
    } finally {
      await runner.release();
    }
    void this.relay
      .flush()
      .catch((error: unknown) => this.logger.warn({ err: error }, 'Outbox flush failed; the relay retries'));
    this.logger.info({ tenantId: id, slug: event.slug }, 'Tenant created');
    return event;
  }
}
