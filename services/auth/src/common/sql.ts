import type { DataSource, EntityManager } from 'typeorm';

/**
 * Runs an UPDATE or DELETE (with or without RETURNING). TypeORM's Postgres driver answers those
 * with `[rows, rowCount]` rather than the rows alone; this gives both, named.
 */
export async function modify<R = never>(
  runner: DataSource | EntityManager,
  sql: string,
  params: unknown[],
): Promise<{ rows: R[]; count: number }> {
  const raw = await runner.query<unknown>(sql, params);
  if (Array.isArray(raw) && raw.length === 2 && Array.isArray(raw[0]) && typeof raw[1] === 'number') {
    return { rows: raw[0] as R[], count: raw[1] };
  }
  throw new Error('modify() expects an UPDATE or DELETE statement');
}
