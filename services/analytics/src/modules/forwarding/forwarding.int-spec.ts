import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChatMessageCompletedV1, UsageRecordedV1 } from '@parley/contracts';
import { MixpanelReceiver, PostHogReceiver, waitFor, type ReceivedEvent } from '@parley/testing';
import { completedEvent, usageEvent } from '../../testing/analytics-events';
import { AnalyticsTestApp, expectProblem } from '../../testing/analytics-test-app';
import { Forwarder } from './forwarder';

const ALLOWED_PROPERTIES = new Set([
  'kind',
  'provider',
  'model',
  'promptTokens',
  'completionTokens',
  'audioSeconds',
  'costMicros',
  'channel',
  'status',
  'skill',
  'firstTokenMs',
  'durationMs',
]);

const FORWARDING = { ANALYTICS_BATCH_SIZE: '4', ANALYTICS_FLUSH_INTERVAL_MS: '50', ANALYTICS_MAX_ATTEMPTS: '5' };

/** Usage and answers of a tenant, emitted as chat would (one usage event redelivered); their ids. */
async function traffic(t: AnalyticsTestApp, tenantId: string, n: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const usage = usageEvent(tenantId, { userId: randomUUID() });
    const done = completedEvent(tenantId, { apiKeyId: randomUUID(), skill: 'summarise' });
    await t.emit(UsageRecordedV1, usage);
    await t.emit(ChatMessageCompletedV1, done);
    ids.push(usage.usageId, done.messageId);
    if (i === 0) await t.emit(UsageRecordedV1, usage); // a replay: forwarded once
  }
  return ids;
}

async function stored(t: AnalyticsTestApp, tenantId: string, n: number): Promise<void> {
  await waitFor(
    async () => {
      const [u] = await t.rows<{ n: string }>(tenantId, 'SELECT count(*) n FROM analytics_usage');
      const [m] = await t.rows<{ n: string }>(tenantId, 'SELECT count(*) n FROM analytics_messages');
      return Number(u?.n) + Number(m?.n) >= n ? true : undefined;
    },
    { what: `${n} events stored`, timeoutMs: 30_000 },
  );
}

describe('forwarding to PostHog (posthog-node against a local /batch/ receiver)', () => {
  let receiver: PostHogReceiver;
  let t: AnalyticsTestApp;
  let acme: string;
  let globex: string;
  const captured = () => receiver.events.filter((e) => e.event !== '$groupidentify');

  beforeAll(async () => {
    receiver = await new PostHogReceiver().start();
    t = await AnalyticsTestApp.start({
      ANALYTICS_PROVIDER: 'posthog',
      POSTHOG_API_KEY: 'phc_test_key',
      POSTHOG_HOST: receiver.url,
      ...FORWARDING,
    });
    acme = await t.createTenant('Acme');
    globex = await t.createTenant('Globex');
    const admin = (tenantId: string) => t.principal(tenantId, 'admin');
    expect((await t.call(admin(acme), 'PUT', '/analytics/consent', { enabled: true })).status).toBe(200);
    expect((await t.call(admin(globex), 'PUT', '/analytics/consent', { enabled: false })).status).toBe(200);
  });

  afterAll(async () => {
    await t?.stop();
    await receiver?.stop();
  });

  it('sends every event once, in gzip batches, with the tenant as its organization group and nothing but counts and names', async () => {
    receiver.refuseNext(2); // the provider is down for the first two requests: retried
    const ids = await traffic(t, acme, 5);
    await waitFor(() => (captured().length >= ids.length ? true : undefined), {
      what: 'every event at PostHog',
      timeoutMs: 30_000,
    });
    await t.app.get(Forwarder).queue?.drain();
    const events = captured();
    expect(events.map((e) => e.uuid).sort()).toEqual([...ids].sort());
    for (const e of events) {
      expect(e.api_key).toBe('phc_test_key');
      const props = e.properties as Record<string, unknown>;
      expect(props.$groups).toEqual({ organization: acme });
      expect(
        Object.keys(props)
          .filter((k) => !k.startsWith('$'))
          .every((k) => ALLOWED_PROPERTIES.has(k)),
      ).toBe(true);
    }
    const identify = receiver.events.filter((e) => e.event === '$groupidentify');
    expect(identify.map((e) => (e.properties as Record<string, unknown>).$group_key)).toEqual([acme]);
    expect((identify[0]?.properties as Record<string, unknown>).$group_type).toBe('organization');
    expect(receiver.gzipBatches).toBeGreaterThan(0);
    expect(receiver.requests).toBeGreaterThan(2);
    const metrics = await (await fetch(`${t.base}/metrics`)).text();
    expect(metrics).toMatch(/analytics_forward_sent_total\{[^}]*provider="posthog"[^}]*\} 10/);
  });

  it('sends nothing of a tenant whose consent is off', async () => {
    await traffic(t, globex, 3);
    await stored(t, globex, 6);
    await t.app.get(Forwarder).queue?.drain();
    const all = JSON.stringify(receiver.events);
    expect(all).not.toContain(globex);
  });

  it('a member cannot read or switch the consent (403), and a bad body is 400', async () => {
    const member = t.principal(acme, 'member');
    expectProblem(await t.call(member, 'PUT', '/analytics/consent', { enabled: false }), 403, 'forbidden');
    expectProblem(await t.call(member, 'GET', '/analytics/consent'), 403, 'forbidden');
    expectProblem(
      await t.call(t.principal(acme, 'owner'), 'PUT', '/analytics/consent', { enabled: 'yes' }),
      400,
      'validation_failed',
    );
    const got = await t.call(t.principal(acme, 'owner'), 'GET', '/analytics/consent');
    expect(got.body).toEqual({ enabled: true, source: 'tenant', provider: 'posthog' });
  });

  it("another tenant's consent is its own, and switching it is in the audit log", async () => {
    const got = await t.call(t.principal(globex, 'owner'), 'GET', '/analytics/consent');
    expect(got.body).toMatchObject({ enabled: false, source: 'tenant' });
    const log = await t.call(t.principal(globex, 'owner'), 'GET', '/analytics/audit?action=settings.changed');
    expect((log.body as { entries: { details: unknown }[] }).entries.map((e) => e.details)).toEqual([
      { enabled: false },
    ]);
  });
});

describe('forwarding to Mixpanel (the mixpanel package against a local /track and /groups receiver)', () => {
  let receiver: MixpanelReceiver;
  let t: AnalyticsTestApp;
  let acme: string;
  let initech: string;

  beforeAll(async () => {
    receiver = await new MixpanelReceiver().start();
    t = await AnalyticsTestApp.start({
      ANALYTICS_PROVIDER: 'mixpanel',
      MIXPANEL_TOKEN: 'mp_test_token',
      MIXPANEL_HOST: receiver.url,
      ...FORWARDING,
    });
    acme = await t.createTenant('Acme');
    initech = await t.createTenant('Initech');
    await t.call(t.principal(acme, 'owner'), 'PUT', '/analytics/consent', { enabled: true });
    await t.call(t.principal(initech, 'owner'), 'PUT', '/analytics/consent', { enabled: false });
  });

  afterAll(async () => {
    await t?.stop();
    await receiver?.stop();
  });

  it('sends every event once with the organization group key, and the group profile', async () => {
    receiver.refuseNext(1);
    const ids = await traffic(t, acme, 4);
    await waitFor(() => (receiver.events.length >= ids.length ? true : undefined), {
      what: 'every event at Mixpanel',
      timeoutMs: 30_000,
    });
    await t.app.get(Forwarder).queue?.drain();
    const props = receiver.events.map((e: ReceivedEvent) => e.properties as Record<string, unknown>);
    expect(props.map((p) => p.$insert_id).sort()).toEqual([...ids].sort());
    for (const p of props) {
      expect(p.organization).toBe(acme);
      expect(p.token).toBe('mp_test_token');
    }
    expect(receiver.groups.map((g) => [g.$group_key, g.$group_id])).toEqual([['organization', acme]]);
  });

  it('sends nothing of a tenant whose consent is off', async () => {
    await traffic(t, initech, 2);
    await stored(t, initech, 4);
    await t.app.get(Forwarder).queue?.drain();
    expect(JSON.stringify([receiver.events, receiver.groups])).not.toContain(initech);
  });
});
