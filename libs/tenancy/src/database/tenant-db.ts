import { Inject, Injectable } from '@nestjs/common';
import type { DataSource, EntityManager, EntityTarget, ObjectLiteral, Repository } from 'typeorm';
import { DomainException, ErrorCode } from '@parley/contracts';
import { TenantContext } from '../context/tenant-context';
import { tenantSchemaName, type TenantId } from '../context/schema-name';
import { DATA_SOURCE } from './database.tokens';

/**
 * Tenant-scoped data access. The only way to reach tenant tables: it reads the tenant from the
 * context (throws if none), opens a transaction on the shared pool and sets `search_path` with
 * `set_config(..., true)` — the parameterised form of `SET LOCAL` — so it ends with the transaction
 * and never leaks to the next user of the pooled connection.
 */
@Injectable()
export class TenantDb {
  constructor(@Inject(DATA_SOURCE) private readonly dataSource: DataSource) {}

  /**
   * ONE statement in the context tenant's schema, in one round trip (no transaction around it:
   * a single statement is atomic; data-modifying CTEs included). Tables are written `{schema}.name`:
   * the token becomes the quoted schema of the tenant in context (one pure validated function), so
   * it fails closed like `run`; a statement that changes `search_path`, or holds a `;` (a second
   * statement), is refused. For hot
   * paths (a chat answer's first token waits on it); use `run` for anything that needs more.
   */
  async statement<Row = unknown>(sql: string, parameters: unknown[] = []): Promise<Row[]> {
    const schema = `"${tenantSchemaName(TenantContext.require())}"`;
    if (SEARCH_PATH_CHANGE.test(sql)) {
      throw new DomainException(
        ErrorCode.TenantContextMissing,
        'Changing search_path in a tenant statement is refused',
      );
    }
    // Without parameters the driver uses the simple protocol, which runs several statements: one only.
    if (sql.trim().replace(/;$/, '').includes(';')) {
      throw new DomainException(ErrorCode.TenantContextMissing, 'A tenant statement is one statement (no ";")');
    }
    if (!sql.includes(`${SCHEMA_TOKEN}.`)) {
      throw new DomainException(
        ErrorCode.TenantContextMissing,
        'A tenant statement must name its tables {schema}.table',
      );
    }
    return this.dataSource.query(sql.split(SCHEMA_TOKEN).join(schema), parameters);
  }

  async run<T>(work: (scope: TenantScope) => Promise<T>): Promise<T> {
    const tenantId = TenantContext.require();
    return this.dataSource.transaction(async (manager) => {
      await setTenantSearchPath(manager, tenantId);
      return work(new TenantScope(tenantId, manager));
    });
  }
}

/** The token a one-statement query writes where the tenant's schema goes: `SELECT … FROM {schema}.messages`. */
export const SCHEMA_TOKEN = '{schema}';

export async function setTenantSearchPath(manager: Pick<EntityManager, 'query'>, tenantId: TenantId): Promise<void> {
  const schema = tenantSchemaName(tenantId);
  await manager.query(`SELECT set_config('search_path', $1, true)`, [`"${schema}"`]);
}

const SEARCH_PATH_CHANGE = /\b(set|reset)\b[\s\S]*\bsearch_path\b|set_config\s*\(\s*'search_path'/i;

/** A handle valid only inside TenantDb.run: repositories and SQL resolve to the tenant's schema. */
export class TenantScope {
  constructor(
    readonly tenantId: TenantId,
    private readonly manager: EntityManager,
  ) {}

  repository<Entity extends ObjectLiteral>(entity: EntityTarget<Entity>): Repository<Entity> {
    return this.manager.getRepository(entity);
  }

  /** Raw SQL in the tenant's schema. Changing `search_path` here is refused: it could outlive the scope. */
  query<Row = unknown>(sql: string, parameters: unknown[] = []): Promise<Row[]> {
    if (SEARCH_PATH_CHANGE.test(sql)) {
      return Promise.reject(
        new DomainException(ErrorCode.TenantContextMissing, 'Changing search_path inside a tenant scope is refused'),
      );
    }
    return this.manager.query(sql, parameters);
  }
}
