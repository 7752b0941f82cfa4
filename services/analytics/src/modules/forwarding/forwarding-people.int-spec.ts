import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditActionRecordedV1, AuthSignedInV1, AuthSignedUpV1 } from '@parley/contracts';
import { MixpanelReceiver, PostHogReceiver, waitFor } from '@parley/testing';
import { auditEvent } from '../../testing/audit-events';
import { AnalyticsTestApp } from '../../testing/analytics-test-app';
import { Forwarder } from './forwarder';

const FORWARDING = { ANALYTICS_BATCH_SIZE: '4', ANALYTICS_FLUSH_INTERVAL_MS: '50', ANALYTICS_MAX_ATTEMPTS: '5' };

interface People {
  owner: string;
  member: string;
  /** The event names and persons expected at the provider, in no order. */
  expected: string[];
}

/**
 * A tenant's people as auth announces them: a sign-up, two sign-ins (one redelivered), and the
 * membership changes of its audit trail (a member added by invite, promoted, removed), plus an admin
 * action that is not about people (an API key), which product analytics never sees.
 */
async function people(t: AnalyticsTestApp, tenantId: string): Promise<People> {
  const owner = randomUUID();
  const member = randomUUID();
  const now = () => new Date().toISOString();
  await t.emit(AuthSignedUpV1, { tenantId, userId: owner, signedUpAt: now() });
  const signIn = { tenantId, userId: owner, sessionId: randomUUID(), signedInAt: now() };
  await t.emit(AuthSignedInV1, signIn);
  await t.emit(AuthSignedInV1, signIn); // a replay: forwarded once
  await t.emit(AuthSignedInV1, { tenantId, userId: member, sessionId: randomUUID(), signedInAt: now() });
  const by = { kind: 'user' as const, id: owner };
  const target = { type: 'member', id: member };
  const added = auditEvent(tenantId, {
    actor: { kind: 'user', id: member },
    action: 'member.added',
    target,
    details: { role: 'member', via: 'invite' },
  });
  await t.emit(AuditActionRecordedV1, added);
  await t.emit(AuditActionRecordedV1, added); // a replay: forwarded once
  await t.emit(
    AuditActionRecordedV1,
    auditEvent(tenantId, {
      actor: by,
      action: 'member.role-changed',
      target,
      details: { from: 'member', to: 'admin' },
    }),
  );
  await t.emit(
    AuditActionRecordedV1,
    auditEvent(tenantId, { actor: by, action: 'api-key.created', target: { type: 'api-key', id: randomUUID() } }),
  );
  await t.emit(
    AuditActionRecordedV1,
    auditEvent(tenantId, { actor: by, action: 'member.removed', target, details: { role: 'admin' } }),
  );
  return {
    owner,
    member,
    expected: [
      `signed up ${owner}`,
      `signed in ${owner}`,
      `signed in ${member}`,
      `member added ${member}`,
      `member role changed ${member}`,
      `member removed ${member}`,
    ].sort(),
  };
}

/** Every event of the tenant is in its store and audit log (what was offered has been offered). */
async function stored(t: AnalyticsTestApp, tenantId: string): Promise<void> {
  await waitFor(
    async () => {
      const [e] = await t.rows<{ n: string }>(tenantId, 'SELECT count(*) n FROM analytics_events');
      const [a] = await t.rows<{ n: string }>(tenantId, 'SELECT count(*) n FROM audit_log');
      return Number(e?.n) >= 3 && Number(a?.n) >= 4 ? true : undefined;
    },
    { what: "the tenant's events stored", timeoutMs: 30_000 },
  );
}

describe('sign-ups, sign-ins and membership changes reach PostHog with the organization group', () => {
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
    expect((await t.call(t.principal(acme, 'owner'), 'PUT', '/analytics/consent', { enabled: true })).status).toBe(200);
    expect((await t.call(t.principal(globex, 'owner'), 'PUT', '/analytics/consent', { enabled: false })).status).toBe(
      200,
    );
  });

  afterAll(async () => {
    await t?.stop();
    await receiver?.stop();
  });

  it('each arrives once, as the person it is about, grouped by the organisation, with roles and nothing else', async () => {
    const got = await people(t, acme);
    await waitFor(() => (captured().length >= got.expected.length ? true : undefined), {
      what: 'the people events at PostHog',
      timeoutMs: 30_000,
    });
    await stored(t, acme);
    await t.app.get(Forwarder).queue?.drain();
    const events = captured();
    expect(events.map((e) => `${e.event as string} ${e.distinct_id as string}`).sort()).toEqual(got.expected);
    for (const e of events) expect((e.properties as Record<string, unknown>).$groups).toEqual({ organization: acme });
    const promoted = events.find((e) => e.event === 'member role changed')?.properties as Record<string, unknown>;
    expect(promoted).toMatchObject({ role: 'admin', previousRole: 'member', actorKind: 'user' });
    const joined = events.find((e) => e.event === 'member added')?.properties as Record<string, unknown>;
    expect(joined).toMatchObject({ role: 'member', via: 'invite' });
    expect(JSON.stringify(events)).not.toContain('203.0.113.7'); // the audit entry's address stays in Parley
  });

  it('sends nothing of a tenant whose consent is off', async () => {
    await people(t, globex);
    await stored(t, globex);
    await t.app.get(Forwarder).queue?.drain();
    expect(JSON.stringify(receiver.events)).not.toContain(globex);
  });
});

describe('sign-ups, sign-ins and membership changes reach Mixpanel with the organization group key', () => {
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

  it('each arrives once with the organization group key and the person it is about', async () => {
    const got = await people(t, acme);
    await waitFor(() => (receiver.events.length >= got.expected.length ? true : undefined), {
      what: 'the people events at Mixpanel',
      timeoutMs: 30_000,
    });
    await stored(t, acme);
    await t.app.get(Forwarder).queue?.drain();
    const props = receiver.events.map((e) => e.properties as Record<string, unknown>);
    expect(receiver.events.map((e, i) => `${e.event as string} ${props[i]?.distinct_id as string}`).sort()).toEqual(
      got.expected,
    );
    for (const p of props) expect(p.organization).toBe(acme);
    expect(receiver.groups.map((g) => [g.$group_key, g.$group_id])).toEqual([['organization', acme]]);
  });

  it('sends nothing of a tenant whose consent is off', async () => {
    await people(t, initech);
    await stored(t, initech);
    await t.app.get(Forwarder).queue?.drain();
    expect(JSON.stringify([receiver.events, receiver.groups])).not.toContain(initech);
  });
});
