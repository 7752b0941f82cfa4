import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BusProducer, TopicAdmin, TopicNamer } from '@parley/bus';
import { UsageRecordedV1, type MessageOf } from '@parley/contracts';
import { waitFor } from '@parley/testing';
import { BillingStack } from '../../testing/billing-stack';
import { ReconcileUsageUseCase } from './usecases/reconcile-usage/reconcile-usage.usecase';

describe('the usage ledger: once per usage id, meter events retried with backoff, the reconciler repairs', () => {
  let stack: BillingStack;

  beforeAll(async () => {
    stack = await BillingStack.start({ BILLING_METER_MAX_ATTEMPTS: '2' });
    await stack.app.get(TopicAdmin).ensureTopics([stack.app.get(TopicNamer).physical(UsageRecordedV1.name)]);
  });

  afterAll(async () => {
    await stack?.stop();
  });

  const usage = (tenantId: string, kind: 'chat_tokens' | 'stt_seconds'): MessageOf<typeof UsageRecordedV1> => ({
    usageId: randomUUID(),
    tenantId,
    userId: randomUUID(),
    apiKeyId: null,
    kind,
    sourceId: randomUUID(),
    provider: kind === 'chat_tokens' ? 'anthropic' : null,
    model: kind === 'chat_tokens' ? 'claude-sonnet-4-5' : 'whisper-small',
    promptTokens: kind === 'chat_tokens' ? 120 : 0,
    completionTokens: kind === 'chat_tokens' ? 30 : 0,
    quantity: kind === 'stt_seconds' ? 12.5 : 0,
    estimated: false,
    costMicros: 900,
    priceTableVersion: '2025-01',
    recordedAt: new Date().toISOString(),
  });

  const rowsOf = (tenantId: string) =>
    stack.rows<{
      usage_id: string;
      kind: string;
      quantity: string;
      reported_identifier: string | null;
      report_attempts: number;
    }>(
      `SELECT usage_id, kind, quantity::text, reported_identifier, report_attempts FROM billing.usage_ledger
        WHERE tenant_id = $1 ORDER BY kind`,
      [tenantId],
    );

  it('writes one row per usage id (tokens and audio seconds), whatever the redeliveries', async () => {
    const tenantId = randomUUID(); // no Stripe customer: recorded, not reported
    const tokens = usage(tenantId, 'chat_tokens');
    const audio = usage(tenantId, 'stt_seconds');
    const producer = stack.app.get(BusProducer);
    for (const message of [tokens, audio, tokens, audio, tokens]) await producer.emit(UsageRecordedV1, message);
    await waitFor(async () => (await rowsOf(tenantId)).length === 2, { what: 'two ledger rows' });
    const rows = await rowsOf(tenantId);
    expect(rows.map((r) => [r.kind, r.quantity, r.reported_identifier])).toEqual([
      ['audio_seconds', '12.500', null],
      ['tokens', '150.000', null],
    ]);
    expect(
      stack.recorder.callsTo('POST', '/v1/billing/meter_events').filter((c) => c.params.identifier === tokens.usageId),
    ).toEqual([]);
  });

  it('retries refused meter events with backoff, then the reconciler queues them again and they are reported once', async () => {
    const tenantId = randomUUID();
    await stack.rows(`INSERT INTO billing.customers (tenant_id, stripe_customer_id) VALUES ($1, 'cus_ledger1')`, [
      tenantId,
    ]);
    stack.recorder.failNext(1_000_000); // Stripe down
    const messages = [usage(tenantId, 'chat_tokens'), usage(tenantId, 'stt_seconds')];
    for (const message of messages) await stack.app.get(BusProducer).emit(UsageRecordedV1, message);
    await waitFor(
      async () => {
        const rows = await rowsOf(tenantId);
        return rows.length === 2 && rows.every((r) => r.report_attempts >= 2);
      },
      { timeoutMs: 30_000, what: 'every attempt used' },
    );
    const reconciler = stack.app.get(ReconcileUsageUseCase);
    stack.recorder.failNext(0); // Stripe back
    const report = await reconciler.execute();
    expect(report.requeued).toBe(2);
    expect(report.gap.map((g) => g.unreported).reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(2);
    await waitFor(async () => (await rowsOf(tenantId)).every((r) => r.reported_identifier !== null), {
      timeoutMs: 30_000,
      what: 'reported after the repair',
    });
    const rows = await rowsOf(tenantId);
    expect(rows.map((r) => r.reported_identifier).sort()).toEqual(rows.map((r) => r.usage_id).sort());
    const calls = stack.recorder
      .callsTo('POST', '/v1/billing/meter_events')
      .filter((c) => messages.some((m) => m.usageId === c.params.identifier));
    // Several refused attempts each, then one accepted; every one carried its usage id.
    expect(calls.filter((c) => c.status === 200)).toHaveLength(2);
    expect(calls.length).toBeGreaterThan(2);
    expect(calls.every((c) => c.params['payload[stripe_customer_id]'] === 'cus_ledger1')).toBe(true);
    expect(
      calls.find((c) => c.params.event_name === 'parley_audio_seconds' && c.status === 200)?.params['payload[value]'],
    ).toBe('12.500');
    expect((await reconciler.execute()).requeued).toBe(0);
  });
});
