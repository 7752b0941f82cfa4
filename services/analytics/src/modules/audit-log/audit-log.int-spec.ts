import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditActionRecordedV1, type AuditEntry, type AuditPage } from '@parley/contracts';
import { waitFor } from '@parley/testing';
import { auditEvent, type AuditAction } from '../../testing/audit-events';
import { AnalyticsTestApp, expectProblem, type TestPrincipal } from '../../testing/analytics-test-app';
import { AuditRetentionJob } from './audit-retention.job';

const CLI = resolve(__dirname, '../../../dist/cli/verify-audit-log.cli.js');
const run = promisify(execFile);

describe('the audit log: fed from Kafka, hash-chained, read and exported by admins', () => {
  let t: AnalyticsTestApp;
  let acme: string;
  let globex: string;
  let owner: TestPrincipal;
  const acmeEvents: AuditAction[] = [];

  const entries = async (tenantId: string) =>
    t.rows<{ seq: string; id: string; action: string }>(tenantId, 'SELECT seq, id, action FROM audit_log ORDER BY seq');
  const waitForEntries = (tenantId: string, n: number) =>
    waitFor(async () => ((await entries(tenantId)).length >= n ? true : undefined), {
      what: `${n} audit entries`,
      timeoutMs: 20_000,
    });
  const page = async (who: TestPrincipal, query = ''): Promise<AuditPage> => {
    const res = await t.call(who, 'GET', `/analytics/audit${query}`);
    expect(res.status).toBe(200);
    return res.body as AuditPage;
  };
  /** The verify command as an operator runs it, against the test database. */
  const verify = async (...args: string[]) => {
    // The infrastructure of this run (the suite exports it; a file run alone gets it from the test app).
    const env = {
      ...process.env,
      DATABASE_URL: t.db.url,
      REDIS_URL: t.config.redis.url,
      KAFKA_BROKERS: t.config.kafka.brokers.join(','),
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
    };
    try {
      const { stdout } = await run('node', [CLI, ...args], { env });
      return { code: 0, stdout };
    } catch (error) {
      const e = error as { code: number; stdout: string };
      return { code: e.code, stdout: e.stdout };
    }
  };

  beforeAll(async () => {
    t = await AnalyticsTestApp.start({ AUDIT_RETENTION_DAYS: '30', AUDIT_RETENTION_INTERVAL_MS: '86400000' });
    acme = await t.createTenant('Acme');
    globex = await t.createTenant('Globex');
    owner = t.principal(acme, 'owner');
    const admin = randomUUID();
    acmeEvents.push(
      auditEvent(acme, { actor: { kind: 'user', id: admin }, occurredAt: '2026-01-01T10:00:00.000Z' }),
      auditEvent(acme, {
        action: 'api-key.created',
        actor: { kind: 'user', id: admin },
        target: { type: 'api-key', id: randomUUID() },
        details: { name: 'ci, "nightly"' },
        occurredAt: '2026-01-01T11:00:00.000Z',
      }),
      auditEvent(acme, {
        action: 'invite.created',
        actor: { kind: 'api-key', id: randomUUID() },
        target: { type: 'invite', id: randomUUID() },
        details: { role: 'member' },
        occurredAt: '2026-01-01T12:00:00.000Z',
      }),
    );
    for (const e of acmeEvents) await t.emit(AuditActionRecordedV1, e);
    await t.emit(AuditActionRecordedV1, acmeEvents[0]!); // redelivered under another message id
    await t.emit(
      AuditActionRecordedV1,
      auditEvent(globex, { action: 'sso.configured', target: { type: 'sso', id: null } }),
    );
    await waitForEntries(acme, 3);
    await waitForEntries(globex, 1);
  });

  afterAll(async () => {
    await t?.stop();
  });

  it('appends each action once, in order, each entry hashing the one before it', async () => {
    const rows = await t.rows<{ seq: string; id: string; prev_hash: string; hash: string }>(
      acme,
      'SELECT seq, id, prev_hash, hash FROM audit_log ORDER BY seq',
    );
    expect(rows.map((r) => [Number(r.seq), r.id])).toEqual(acmeEvents.map((e, i) => [i + 1, e.auditId]));
    expect(rows[0]?.prev_hash).toBe('0'.repeat(64));
    expect(rows[1]?.prev_hash).toBe(rows[0]?.hash);
    expect(rows[2]?.prev_hash).toBe(rows[1]?.hash);
  });

  it('shows owners and admins every field, newest first, with filters and pages', async () => {
    const all = await page(owner);
    expect(all.entries.map((e) => e.action)).toEqual(['invite.created', 'api-key.created', 'member.role-changed']);
    const first = acmeEvents[0]!;
    expect(all.entries[2]).toMatchObject({
      seq: 1,
      id: first.auditId,
      occurredAt: first.occurredAt,
      actor: first.actor,
      target: first.target,
      ip: '203.0.113.7',
      userAgent: first.userAgent,
      requestId: first.requestId,
      details: { from: 'member', to: 'admin' },
    } satisfies Partial<AuditEntry>);
    expect((await page(owner, '?action=api-key.created')).entries.map((e) => e.seq)).toEqual([2]);
    expect((await page(owner, `?actorId=${first.actor.id}`)).entries.map((e) => e.seq)).toEqual([2, 1]);
    expect((await page(owner, '?targetType=invite')).entries.map((e) => e.seq)).toEqual([3]);
    expect((await page(owner, '?from=2026-01-01T10:30:00Z&to=2026-01-01T12:00:00Z')).entries.map((e) => e.seq)).toEqual(
      [2],
    );
    const p1 = await page(owner, '?limit=2');
    expect([p1.entries.map((e) => e.seq), p1.nextCursor]).toEqual([[3, 2], '2']);
    const p2 = await page(owner, `?limit=2&cursor=${p1.nextCursor}`);
    expect([p2.entries.map((e) => e.seq), p2.nextCursor]).toEqual([[1], null]);
    expect((await page(t.principal(acme, 'admin'), '?limit=2')).entries.map((e) => e.seq)).toEqual([3, 2]);
  });

  it('a member cannot read or export the audit log, nor can a billing user or an API key (403 forbidden)', async () => {
    for (const role of ['member', 'billing', 'api-key'] as const) {
      const who = t.principal(acme, role);
      expectProblem(await t.call(who, 'GET', '/analytics/audit'), 403, 'forbidden');
      expectProblem(await t.call(who, 'GET', '/analytics/audit/export?format=csv'), 403, 'forbidden');
    }
  });

  it("another tenant cannot see a tenant's entries", async () => {
    const theirs = await page(t.principal(globex, 'owner'));
    expect(theirs.entries.map((e) => e.action)).toEqual(['sso.configured']);
    const acmeIds = new Set(acmeEvents.map((e) => e.auditId));
    expect(theirs.entries.some((e) => acmeIds.has(e.id))).toBe(false);
  });

  it.each([
    ['an unknown action', '?action=member.hacked'],
    ['a limit above 200', '?limit=201'],
    ['a malformed cursor', '?cursor=abc'],
    ['a date that is not an instant', '?from=yesterday'],
    ['an unknown parameter', '?tenantId=x'],
  ])('answers %s with 400 validation_failed', async (_, query) => {
    expectProblem(await t.call(owner, 'GET', `/analytics/audit${query}`), 400, 'validation_failed');
  });

  it('exports CSV and JSON with the filters, and records each export in the log', async () => {
    const csv = await t.call(owner, 'GET', '/analytics/audit/export?format=csv&action=api-key.created');
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(csv.headers.get('content-disposition')).toMatch(/^attachment; filename="audit-log-\d{4}-\d{2}-\d{2}\.csv"$/);
    const lines = csv.text.trimEnd().split('\r\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^seq,occurredAt,actorKind,actorId,action,/);
    expect(lines[1]).toContain(`,api-key.created,api-key,${acmeEvents[1]!.target.id},`);
    expect(lines[1]).toContain('"{""name"":""ci, \\""nightly\\""""}"');
    const json = await t.call(owner, 'GET', '/analytics/audit/export?format=json');
    expect(json.headers.get('content-type')).toMatch(/^application\/json/);
    expect((json.body as { entries: AuditEntry[] }).entries.map((e) => e.action)).toEqual([
      'audit.exported',
      'invite.created',
      'api-key.created',
      'member.role-changed',
    ]);
    const exported = (await page(owner, '?action=audit.exported')).entries;
    expect(exported.map((e) => [e.actor, e.details])).toEqual([
      [
        { kind: 'user', id: owner.id },
        { format: 'json', rows: 4 },
      ],
      [
        { kind: 'user', id: owner.id },
        { format: 'csv', rows: 1 },
      ],
    ]);
    expectProblem(await t.call(owner, 'GET', '/analytics/audit/export?format=xml'), 400, 'validation_failed');
  });

  it('refuses to update or delete an entry in the database (append-only)', async () => {
    await expect(t.rows(acme, `UPDATE audit_log SET action = 'member.added' WHERE seq = 1`)).rejects.toThrow(
      /append-only/,
    );
    await expect(t.rows(acme, 'DELETE FROM audit_log WHERE seq = 1')).rejects.toThrow(/append-only/);
    await expect(t.rows(acme, 'TRUNCATE audit_log')).rejects.toThrow(/append-only/);
  });

  it('the verify command passes an untouched chain and reports the first broken link of a tampered one', async () => {
    const ok = await verify('--tenant', acme);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(new RegExp(`^${acme}: ok \\(\\d+ entries\\)`));
    // Someone with the database's keys rewrites history below the application: the trigger off, a role changed.
    await t.rows(acme, 'ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only');
    await t.rows(acme, `UPDATE audit_log SET details = '{"from":"member","to":"owner"}' WHERE seq = 1`);
    await t.rows(acme, 'ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only');
    const broken = await verify('--tenant', acme, '--json');
    expect(broken.code).toBe(1);
    expect(JSON.parse(broken.stdout)).toEqual([
      {
        tenantId: acme,
        ok: false,
        checked: 0,
        firstBroken: { seq: 1, id: acmeEvents[0]!.auditId, reason: 'hash_mismatch' },
      },
    ]);
    const all = await verify();
    expect(all.code).toBe(1);
    expect(all.stdout).toContain(`${globex}: ok (1 entries)`);
    expect(all.stdout).toContain(`${acme}: BROKEN at seq 1`);
    expect((await verify('--tenant', 'not-a-tenant')).code).toBe(64);
  });

  it('retention removes the entries older than AUDIT_RETENTION_DAYS and the kept chain still verifies', async () => {
    const umbrella = await t.createTenant('Umbrella');
    const old = new Date(Date.now() - 40 * 86_400_000).toISOString();
    const recent = new Date(Date.now() - 20 * 86_400_000).toISOString();
    const events = [
      auditEvent(umbrella, { occurredAt: old }),
      auditEvent(umbrella, { occurredAt: old }),
      auditEvent(umbrella, { occurredAt: recent }),
    ];
    for (const e of events) await t.emit(AuditActionRecordedV1, e);
    await waitForEntries(umbrella, 3);
    const removed = await t.app.get(AuditRetentionJob).runOnce();
    expect(removed[umbrella]).toBe(2);
    expect((await entries(umbrella)).map((e) => [Number(e.seq), e.id])).toEqual([[3, events[2]!.auditId]]);
    const after = await verify('--tenant', umbrella, '--json');
    expect(JSON.parse(after.stdout)).toEqual([{ tenantId: umbrella, ok: true, checked: 1, firstBroken: null }]);
    // The next action chains on from the kept entry.
    const next = auditEvent(umbrella);
    await t.emit(AuditActionRecordedV1, next);
    await waitForEntries(umbrella, 2);
    expect((await entries(umbrella)).map((e) => Number(e.seq))).toEqual([3, 4]);
    expect((await verify('--tenant', umbrella)).code).toBe(0);
  });
});
