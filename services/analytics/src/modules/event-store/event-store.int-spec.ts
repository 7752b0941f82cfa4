import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthMembershipChangedV1, ChatMessageCompletedV1, TenantSuspendedV1, UsageRecordedV1 } from '@parley/contracts';
import { waitFor } from '@parley/testing';
import { completedEvent, usageEvent } from '../../testing/analytics-events';
import { AnalyticsTestApp } from '../../testing/analytics-test-app';

const count = async (t: AnalyticsTestApp, tenantId: string, sql: string, params: unknown[] = []) =>
  Number((await t.rows<{ n: string }>(tenantId, sql, params))[0]?.n ?? 0);

describe('the analytics event store, fed from the real broker', () => {
  let t: AnalyticsTestApp;
  let acme: string;
  let globex: string;

  beforeAll(async () => {
    t = await AnalyticsTestApp.start();
    acme = await t.createTenant('Acme');
    globex = await t.createTenant('Globex');
  });

  afterAll(async () => {
    await t?.stop();
  });

  it('stores a usage record once, however often it is delivered (dedupe by usageId)', async () => {
    const usage = usageEvent(acme, { userId: randomUUID(), costMicros: 4321 });
    await t.emit(UsageRecordedV1, usage);
    await t.emit(UsageRecordedV1, usage); // another bus message, same usage: a replay
    const marker = usageEvent(acme);
    await t.emit(UsageRecordedV1, marker); // same key, same partition: consumed after both
    await waitFor(
      async () =>
        (await count(t, acme, 'SELECT count(*) n FROM analytics_usage WHERE usage_id = $1', [marker.usageId])) ||
        undefined,
      { what: 'the marker usage stored' },
    );
    const rows = await t.rows<{ cost_micros: string; user_id: string }>(
      acme,
      'SELECT cost_micros, user_id FROM analytics_usage WHERE usage_id = $1',
      [usage.usageId],
    );
    expect(rows).toEqual([{ cost_micros: '4321', user_id: usage.userId }]);
  });

  it('stores a completed answer once per message id, and never any text', async () => {
    const done = completedEvent(acme, { skill: 'summarise', userId: randomUUID() });
    await t.emit(ChatMessageCompletedV1, done);
    await t.emit(ChatMessageCompletedV1, { ...done, durationMs: 1 });
    const marker = completedEvent(acme, { conversationId: done.conversationId });
    await t.emit(ChatMessageCompletedV1, marker);
    await waitFor(
      async () =>
        (await count(t, acme, 'SELECT count(*) n FROM analytics_messages WHERE message_id = $1', [marker.messageId])) ||
        undefined,
      { what: 'the marker answer stored' },
    );
    const rows = await t.rows(acme, 'SELECT skill, duration_ms FROM analytics_messages WHERE message_id = $1', [
      done.messageId,
    ]);
    expect(rows).toEqual([{ skill: 'summarise', duration_ms: 900 }]);
  });

  it('records tenant and auth facts in the tenant schema', async () => {
    const userId = randomUUID();
    await t.emit(TenantSuspendedV1, { tenantId: globex, reason: 'billing', suspendedAt: '2025-03-01T00:00:00Z' });
    await t.emit(AuthMembershipChangedV1, {
      tenantId: globex,
      userId,
      role: 'admin',
      changedAt: '2025-03-01T00:00:01Z',
    });
    const events = await waitFor(
      async () => {
        const rows = await t.rows<{ type: string; data: { userId?: string } }>(
          globex,
          'SELECT type, data FROM analytics_events ORDER BY occurred_at',
        );
        return rows.length >= 2 ? rows : undefined;
      },
      { what: 'two facts recorded' },
    );
    expect(events.map((e) => e.type)).toEqual(['tenant.suspended', 'auth.membership-changed']);
    expect(events[1]?.data.userId).toBe(userId);
    expect(await count(t, acme, `SELECT count(*) n FROM analytics_events WHERE type = 'tenant.suspended'`)).toBe(0);
    // The suspension is an administrative change: also in the tenant's audit log, by the platform.
    const audit = await t.rows<{ action: string; actor_kind: string; target_id: string; details: unknown }>(
      globex,
      'SELECT action, actor_kind, target_id, details FROM audit_log ORDER BY seq',
    );
    expect(audit).toEqual([
      { action: 'tenant.suspended', actor_kind: 'system', target_id: globex, details: { reason: 'billing' } },
    ]);
  });

  it("another tenant cannot write into a tenant's store: a payload naming another tenant than its header is refused", async () => {
    const forged = usageEvent(globex, { costMicros: 999_999 });
    await t.emit(UsageRecordedV1, forged, acme);
    const marker = usageEvent(globex);
    await t.emit(UsageRecordedV1, marker);
    await waitFor(
      async () =>
        (await count(t, globex, 'SELECT count(*) n FROM analytics_usage WHERE usage_id = $1', [marker.usageId])) ||
        undefined,
      { what: 'the marker stored', timeoutMs: 20_000 },
    );
    const sql = 'SELECT count(*) n FROM analytics_usage WHERE usage_id = $1';
    expect(await count(t, globex, sql, [forged.usageId])).toBe(0);
    expect(await count(t, acme, sql, [forged.usageId])).toBe(0);
  });
});
