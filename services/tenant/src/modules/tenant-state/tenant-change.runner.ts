import { Inject, Injectable } from '@nestjs/common';
import type { DataSource, EntityManager } from 'typeorm';
import { OutboxRelay, OutboxWriter } from '@parley/bus';
import type { MessageOf, TopicDefinition } from '@parley/contracts';
import { LOGGER, type Logger } from '@parley/observability';
import { DATA_SOURCE, TenantContext, type TenantId } from '@parley/tenancy';
import { TenantAuditRepository, type TenantAuditEntry } from './tenant-audit.repository';
import type { TenantState } from './tenant-state';
import { TenantStateRepository } from './tenant-state.repository';

/** One change to a tenant's control-plane record, inside its transaction with the row locked. */
export class TenantChange {
  emitted = false;

  constructor(
    readonly tx: EntityManager,
    readonly state: TenantState,
    private readonly auditLog: TenantAuditRepository,
    private readonly outbox: OutboxWriter,
  ) {}

  audit(entry: TenantAuditEntry): Promise<void> {
    return this.auditLog.add(this.tx, this.state.id, entry);
  }

  /** Announces the change: an outbox row committed with it, published by the relay after the commit. */
  async emit<T extends TopicDefinition>(topic: T, message: MessageOf<T>): Promise<void> {
    await this.outbox.add(this.tx, topic, message);
    this.emitted = true;
  }
}

/**
 * Runs a change to one tenant: a transaction on the control plane, the tenant's row locked
 * `FOR UPDATE`, the tenant in context (so events carry its `x-tenant-id`); the audit row and the
 * outbox rows commit with the change, and the relay publishes right after the commit.
 */
@Injectable()
export class TenantChangeRunner {
  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly states: TenantStateRepository,
    private readonly auditLog: TenantAuditRepository,
    private readonly outbox: OutboxWriter,
    private readonly relay: OutboxRelay,
  ) {}

  async run<T>(tenantId: TenantId, work: (change: TenantChange) => Promise<T>): Promise<T> {
    let change: TenantChange | undefined;
    const result = await TenantContext.run(tenantId, () =>
      this.dataSource.transaction(async (tx) => {
        const state = await this.states.lock(tx, tenantId, 'update');
        change = new TenantChange(tx, state, this.auditLog, this.outbox);
        return work(change);
      }),
    );
    if (change?.emitted) this.flush();
    return result;
  }

  flush(): void {
    void this.relay
      .flush()
      .catch((error: unknown) => this.logger.warn({ err: error }, 'Outbox flush failed; the relay retries'));
  }
}
