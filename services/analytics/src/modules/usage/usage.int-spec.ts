import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthSignedInV1, ChatMessageCompletedV1, UsageRecordedV1, type UsageReport } from '@parley/contracts';
import { waitFor } from '@parley/testing';
import { completedEvent, usageEvent, type Usage } from '../../testing/analytics-events';
import { AnalyticsTestApp, expectProblem, type TestPrincipal } from '../../testing/analytics-test-app';

const RANGE = '?from=2025-03-01&to=2025-03-04';
const START = Date.parse('2025-03-01T00:00:00Z');
const END = Date.parse('2025-03-05T00:00:00Z');
const figures = (f: Partial<UsageReport['totals']>) => ({
  activePeople: 0,
  conversations: 0,
  messages: 0,
  usageRecords: 0,
  promptTokens: 0,
  completionTokens: 0,
  costMicros: 0,
  audioSeconds: 0,
  ...f,
});

describe('GET /analytics/usage from the event store', () => {
  let t: AnalyticsTestApp;
  let acme: string;
  let globex: string;
  let owner: TestPrincipal;
  let alice: TestPrincipal;
  let bob: TestPrincipal;
  let key: TestPrincipal;
  let globexOwner: TestPrincipal;
  const emitted: Usage[] = [];
  const usage = async (u: Usage) => {
    emitted.push(u);
    await t.emit(UsageRecordedV1, u);
  };
  const report = async (who: TestPrincipal, query: string): Promise<UsageReport> => {
    const res = await t.call(who, 'GET', `/analytics/usage${query}`);
    expect(res.status).toBe(200);
    return res.body as UsageReport;
  };

  beforeAll(async () => {
    t = await AnalyticsTestApp.start();
    acme = await t.createTenant('Acme');
    globex = await t.createTenant('Globex');
    owner = t.principal(acme, 'owner');
    alice = t.principal(acme, 'member');
    bob = t.principal(acme, 'member');
    key = t.principal(acme, 'api-key');
    globexOwner = t.principal(globex, 'owner');
    const a = { userId: alice.id };
    await usage(usageEvent(acme, { ...a, recordedAt: '2025-02-28T23:59:59.999Z', costMicros: 100_000 }));
    await usage(
      usageEvent(acme, {
        ...a,
        recordedAt: '2025-03-01T00:00:00Z',
        model: 'gpt-a',
        costMicros: 1000,
        promptTokens: 100,
        completionTokens: 200,
      }),
    );
    await usage(
      usageEvent(acme, {
        ...a,
        recordedAt: '2025-03-02T23:59:59.999Z',
        model: 'gpt-b',
        costMicros: 300,
        promptTokens: 30,
        completionTokens: 40,
      }),
    );
    await usage(
      usageEvent(acme, {
        userId: bob.id,
        recordedAt: '2025-03-02T10:00:00Z',
        model: 'gpt-a',
        costMicros: 50,
        promptTokens: 5,
        completionTokens: 6,
      }),
    );
    await usage(
      usageEvent(acme, {
        apiKeyId: key.id,
        recordedAt: '2025-03-04T08:00:00Z',
        model: 'gpt-a',
        costMicros: 7,
        promptTokens: 1,
        completionTokens: 2,
      }),
    );
    await usage(
      usageEvent(acme, {
        ...a,
        kind: 'stt_seconds',
        provider: 'local',
        model: null,
        quantity: 12.5,
        promptTokens: 0,
        completionTokens: 0,
        costMicros: 25,
        recordedAt: '2025-03-03T12:00:00Z',
      }),
    );
    await usage(usageEvent(acme, { ...a, recordedAt: '2025-03-05T00:00:00Z', costMicros: 200_000 }));
    await usage(
      usageEvent(globex, { userId: globexOwner.id, recordedAt: '2025-03-02T00:00:00Z', costMicros: 9_000_000 }),
    );
    const c1 = randomUUID();
    const done = [
      completedEvent(acme, { ...a, conversationId: c1, completedAt: '2025-03-01T00:00:01Z', skill: 'summarise' }),
      completedEvent(acme, { ...a, conversationId: c1, completedAt: '2025-03-02T00:00:00Z', skill: 'summarise' }),
      completedEvent(acme, { userId: bob.id, completedAt: '2025-03-02T10:00:05Z', skill: 'translate' }),
      completedEvent(acme, { apiKeyId: key.id, completedAt: '2025-03-04T08:00:02Z' }),
      completedEvent(globex, { userId: globexOwner.id, completedAt: '2025-03-02T00:00:00Z' }),
    ];
    for (const d of done) await t.emit(ChatMessageCompletedV1, d);
    await waitFor(
      async () => {
        const [u] = await t.rows<{ n: string }>(acme, 'SELECT count(*) n FROM analytics_usage');
        const [m] = await t.rows<{ n: string }>(acme, 'SELECT count(*) n FROM analytics_messages');
        const [g] = await t.rows<{ n: string }>(globex, 'SELECT count(*) n FROM analytics_messages');
        return Number(u?.n) === 7 && Number(m?.n) === 4 && Number(g?.n) === 1 ? true : undefined;
      },
      { what: 'every event stored', timeoutMs: 30_000 },
    );
  });

  afterAll(async () => {
    await t?.stop();
  });

  it('gives owners the tenant: totals, active people, channels, top skills and every day of the range', async () => {
    const r = await report(owner, RANGE);
    expect(r).toMatchObject({ from: '2025-03-01', to: '2025-03-04', groupBy: 'day', scope: 'tenant' });
    expect(r.totals).toEqual(
      figures({
        activePeople: 2,
        conversations: 3,
        messages: 4,
        usageRecords: 5,
        promptTokens: 136,
        completionTokens: 248,
        costMicros: 1382,
        audioSeconds: 12.5,
      }),
    );
    // On 03-04 only the API key was active; the 7 and 30 days before include alice and bob.
    expect(r.activePeople).toEqual({ daily: 0, weekly: 2, monthly: 2 });
    expect(r.channels.api).toEqual(
      figures({ conversations: 1, messages: 1, usageRecords: 1, promptTokens: 1, completionTokens: 2, costMicros: 7 }),
    );
    expect(r.channels.web.costMicros).toBe(1375);
    expect(r.topSkills).toEqual([
      { skill: 'summarise', messages: 2 },
      { skill: 'translate', messages: 1 },
    ]);
    expect(r.groups.map((g) => [g.key, g.costMicros, g.messages, g.activePeople])).toEqual([
      ['2025-03-01', 1000, 1, 1],
      ['2025-03-02', 350, 2, 2],
      ['2025-03-03', 25, 0, 1],
      ['2025-03-04', 7, 1, 0],
    ]);
  });

  it('gives admins the same report as owners', async () => {
    expect(await report(t.principal(acme, 'admin'), RANGE)).toEqual(await report(owner, RANGE));
  });

  it('its totals are the sum of the usage events recorded in the period, and every grouping adds up to them', async () => {
    const inRange = emitted.filter(
      (u) => u.tenantId === acme && Date.parse(u.recordedAt) >= START && Date.parse(u.recordedAt) < END,
    );
    const sum = (f: (u: Usage) => number) => inRange.reduce((s, u) => s + f(u), 0);
    const r = await report(owner, RANGE);
    expect([r.totals.costMicros, r.totals.promptTokens, r.totals.completionTokens, r.totals.usageRecords]).toEqual([
      sum((u) => u.costMicros),
      sum((u) => u.promptTokens),
      sum((u) => u.completionTokens),
      inRange.length,
    ]);
    for (const groupBy of ['day', 'member', 'model', 'apiKey', 'channel']) {
      const g = await report(owner, `${RANGE}&groupBy=${groupBy}`);
      expect(g.groups.reduce((s, x) => s + x.costMicros, 0)).toBe(r.totals.costMicros);
      expect(g.groups.reduce((s, x) => s + x.messages, 0)).toBe(r.totals.messages);
    }
  });

  it('groups by member, model, API key and channel', async () => {
    const byMember = await report(owner, `${RANGE}&groupBy=member`);
    expect(byMember.groups.map((g) => [g.key, g.costMicros, g.messages])).toEqual([
      [alice.id, 1325, 2],
      [bob.id, 50, 1],
      [null, 7, 1],
    ]);
    const byModel = await report(owner, `${RANGE}&groupBy=model`);
    expect(byModel.groups.map((g) => [g.key, g.costMicros])).toEqual([
      ['gpt-a', 1057],
      ['gpt-b', 300],
      [null, 25],
      ['gpt-4o-mini', 0],
    ]);
    const byKey = await report(owner, `${RANGE}&groupBy=apiKey`);
    expect(byKey.groups.map((g) => [g.key, g.costMicros])).toEqual([
      [null, 1375],
      [key.id, 7],
    ]);
    const byChannel = await report(owner, `${RANGE}&groupBy=channel`);
    expect(byChannel.groups.map((g) => [g.key, g.costMicros, g.messages])).toEqual([
      ['web', 1375, 3],
      ['api', 7, 1],
    ]);
  });

  it('a member cannot see the tenant: members see only their own usage, whatever the grouping', async () => {
    const mine = await report(alice, `${RANGE}&groupBy=member`);
    expect(mine.scope).toBe('self');
    expect(mine.totals).toMatchObject({ costMicros: 1325, messages: 2, conversations: 1, activePeople: 1 });
    expect(mine.groups.map((g) => g.key)).toEqual([alice.id]);
    expect(mine.topSkills).toEqual([{ skill: 'summarise', messages: 2 }]);
    expect((await report(bob, RANGE)).totals.costMicros).toBe(50);
    const billing = await report(t.principal(acme, 'billing'), RANGE);
    expect(billing).toMatchObject({ scope: 'self', totals: figures({}) });
  });

  it('an API key sees only its own traffic', async () => {
    const r = await report(key, `${RANGE}&groupBy=apiKey`);
    expect(r).toMatchObject({ scope: 'self', totals: { costMicros: 7, messages: 1 } });
    expect(r.groups.map((g) => g.key)).toEqual([key.id]);
  });

  it("another tenant cannot see a tenant's usage, nor count in it", async () => {
    const g = await report(globexOwner, RANGE);
    expect(g.totals).toMatchObject({ costMicros: 9_000_000, messages: 1, activePeople: 1 });
    // Acme's owner id under Globex's tenant: a Globex principal with nothing of Acme's.
    expect((await report({ ...alice, tenantId: globex }, RANGE)).totals).toEqual(figures({}));
    expect((await report(owner, `${RANGE}&groupBy=member`)).groups.map((x) => x.key)).not.toContain(globexOwner.id);
  });

  it('counts a person who only signed in as active (auth.signed-in.v1), for the day and the member', async () => {
    const carol = t.principal(acme, 'member');
    const day = '?from=2025-04-10&to=2025-04-10';
    const sessionId = randomUUID();
    await t.emit(AuthSignedInV1, { tenantId: acme, userId: carol.id, sessionId, signedInAt: '2025-04-10T09:00:00Z' });
    await waitFor(
      async () =>
        (
          await t.rows(
            acme,
            `SELECT 1 FROM analytics_events WHERE type = 'auth.signed-in' AND data->>'sessionId' = $1`,
            [sessionId],
          )
        ).length > 0 || undefined,
      { what: 'the sign-in recorded' },
    );
    const r = await report(owner, day);
    expect([r.totals.activePeople, r.totals.messages, r.activePeople.daily]).toEqual([1, 0, 1]);
    expect((await report(owner, `${day}&groupBy=member`)).groups.map((g) => [g.key, g.activePeople])).toEqual([
      [carol.id, 1],
    ]);
    expect((await report(owner, `${day}&groupBy=model`)).groups).toEqual([]);
    expect((await report(carol, day)).totals.activePeople).toBe(1);
    expect((await report(alice, day)).totals.activePeople).toBe(0);
    expect((await report(key, day)).totals.activePeople).toBe(0);
  });

  it('defaults to the last 30 UTC days by day', async () => {
    const r = await report(owner, '');
    expect(r.groupBy).toBe('day');
    expect(r.groups).toHaveLength(30);
    expect(r.groups.at(-1)?.key).toBe(r.to);
  });

  it.each([
    ['from after to', '?from=2025-03-05&to=2025-03-01'],
    ['367 days', '?from=2024-01-01&to=2025-01-01'],
    ['an impossible date', '?from=2025-02-30&to=2025-03-01'],
    ['an unknown grouping', '?groupBy=team'],
    ['an unknown parameter', '?tenantId=x'],
    ['a repeated parameter', '?from=2025-03-01&from=2025-03-02'],
  ])('answers %s with 400 validation_failed', async (_, query) => {
    expectProblem(await t.call(owner, 'GET', `/analytics/usage${query}`), 400, 'validation_failed');
  });

  it('refuses a call without the gateway principal token (401 invalid_principal)', async () => {
    expectProblem(await t.call(null, 'GET', `/analytics/usage${RANGE}`), 401, 'invalid_principal');
  });
});
