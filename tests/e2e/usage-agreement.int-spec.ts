import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UsageReport } from '@parley/contracts';
import { LlmSimulator, PlatformProcesses, waitFor } from '@parley/testing';

/**
 * Issue 16: the usage dashboards match the bill. Real answers through the gateway produce
 * `usage.recorded.v1` once each (the orchestrator's outbox); billing's ledger and analytics' event
 * store each consume them; for the same period the analytics totals (tokens, cost, records) equal
 * the ledger's sums.
 */
describe('analytics usage totals equal the billing ledger for the same period', () => {
  let sim: LlmSimulator;
  let platform: PlatformProcesses;
  let api: string;
  let pg: Client;

  beforeAll(async () => {
    sim = await LlmSimulator.start();
    platform = await PlatformProcesses.start({
      services: ['tenant', 'auth', 'chat-orchestrator', 'billing', 'analytics', 'gateway'],
      env: { DEPLOYMENT_MODE: 'cloud', BUS_REQUEST_TIMEOUT_MS: '30000' },
      serviceEnv: {
        tenant: { PLAN_FREE_TOKENS_PER_MONTH: '1000000', PLAN_FREE_CHAT_REQUESTS_PER_HOUR: '1000' },
        auth: { TRUST_PROXY_HOPS: '1' },
        'chat-orchestrator': {
          CHAT_PROVIDER_CHAIN: 'anthropic',
          ANTHROPIC_BASE_URL: sim.anthropicBaseUrl,
          ANTHROPIC_API_KEY: 'sk-ant-sim',
          ANTHROPIC_MODEL: 'claude-sonnet-5-5',
          CHAT_PROVIDER_MAX_RETRIES: '0',
        },
      },
    });
    api = platform.url('gateway');
    pg = new Client({ connectionString: platform.db.url });
    await pg.connect();
  }, 300_000);

  afterAll(async () => {
    await pg?.end();
    await platform?.stop();
    await sim?.close();
  });

  it('counts the same records, tokens and cost for the period', async () => {
    const slug = `agree-${Date.now().toString(36)}`;
    const signUp = await fetch(`${api}/api/v1/auth/sign-up`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        organizationName: 'Agree',
        organizationSlug: slug,
        email: `owner@${slug}.test`,
        password: 'correct horse battery',
        name: 'Owner',
      }),
    });
    expect(signUp.status).toBe(201);
    const { accessToken, tenant } = (await signUp.json()) as { accessToken: string; tenant: { id: string } };
    const authed = { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' };
    const created = await fetch(`${api}/api/v1/conversations`, {
      method: 'POST',
      headers: authed,
      body: JSON.stringify({ title: 'Usage' }),
    });
    const { id } = (await created.json()) as { id: string };
    const answers = 4;
    for (let i = 0; i < answers; i++) {
      const res = await fetch(`${api}/api/v1/conversations/${id}/messages`, {
        method: 'POST',
        headers: authed,
        body: JSON.stringify({ content: `question ${i}: ${'words '.repeat(i * 5)}` }),
      });
      expect(res.status).toBe(201);
    }

    const day = new Date().toISOString().slice(0, 10);
    const ledger = async () =>
      (
        await pg.query<{ records: string; tokens: string | null; cost: string | null }>(
          `SELECT count(*) AS records, sum(quantity) FILTER (WHERE kind = 'tokens') AS tokens, sum(cost_micros) AS cost
             FROM billing.usage_ledger
            WHERE tenant_id = $1 AND recorded_at >= $2::date AND recorded_at < $2::date + 1`,
          [tenant.id, day],
        )
      ).rows[0];
    const report = async (): Promise<UsageReport> => {
      const res = await fetch(`${api}/api/v1/analytics/usage?from=${day}&to=${day}`, { headers: authed });
      expect(res.status).toBe(200);
      return (await res.json()) as UsageReport;
    };
    await waitFor(async () => Number((await ledger())?.records) === answers, { what: 'the ledger rows' });
    const totals = await waitFor(
      async () => {
        const { totals } = await report();
        return totals.usageRecords === answers ? totals : undefined;
      },
      { what: 'the analytics records' },
    );
    const billed = await ledger();
    expect(totals.promptTokens + totals.completionTokens).toBeGreaterThan(0);
    expect(totals.promptTokens + totals.completionTokens).toBe(Number(billed?.tokens));
    expect(totals.costMicros).toBe(Number(billed?.cost));
  });
});
