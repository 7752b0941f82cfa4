import { describe, expect, it } from 'vitest';
import type { EventTopic } from '../../bus/topic-definition';
import { ALL_TOPICS } from '../registry';
import { TenantFeaturesChangedV1 } from '../tenant-features-changed/tenant-features-changed.topic';
import { TenantPlanChangedV1 } from '../tenant-plan-changed/tenant-plan-changed.topic';
import { TenantPurgedV1 } from '../tenant-purged/tenant-purged.topic';
import { TenantRestoredV1 } from '../tenant-restored/tenant-restored.topic';
import { TenantResumedV1 } from '../tenant-resumed/tenant-resumed.topic';
import { TenantSuspendedV1 } from '../tenant-suspended/tenant-suspended.topic';
import { TenantDeletedV1 } from './tenant-deleted.topic';

const tenantId = '0b8f3c2e-1a2b-4c3d-8e4f-5a6b7c8d9e0f';
const at = new Date().toISOString();

const valid: [EventTopic, Record<string, unknown>][] = [
  [TenantPlanChangedV1, { tenantId, previousPlan: 'free', plan: 'pro', changedAt: at }],
  [
    TenantFeaturesChangedV1,
    { tenantId, name: 'voice_input', override: true, flags: { voice_input: true, beta: false }, changedAt: at },
  ],
  [TenantSuspendedV1, { tenantId, reason: 'unpaid invoice', suspendedAt: at }],
  [TenantResumedV1, { tenantId, resumedAt: at }],
  [TenantDeletedV1, { tenantId, deletedAt: at, purgeAfter: at }],
  [TenantRestoredV1, { tenantId, status: 'active', restoredAt: at }],
  [TenantPurgedV1, { tenantId, schemaName: 'tenant_0b8f3c2e1a2b4c3d8e4f5a6b7c8d9e0f', purgedAt: at }],
];

describe('tenant lifecycle events', () => {
  it.each(valid)('$name is registered, strict and keyed by tenant', (topic, message) => {
    expect(ALL_TOPICS).toContain(topic);
    expect(topic.schema.safeParse(message).success).toBe(true);
    expect(topic.schema.safeParse({ ...message, extra: 1 }).success).toBe(false);
    expect(topic.schema.safeParse({ ...message, tenantId: 'acme' }).success).toBe(false);
    expect(topic.key(message)).toBe(tenantId);
  });

  it('refuses values outside the contract', () => {
    const [, plan] = valid[0] as [EventTopic, Record<string, unknown>];
    expect(TenantPlanChangedV1.schema.safeParse({ ...plan, plan: 'platinum' }).success).toBe(false);
    expect(TenantSuspendedV1.schema.safeParse({ tenantId, reason: '', suspendedAt: at }).success).toBe(false);
    expect(TenantRestoredV1.schema.safeParse({ tenantId, status: 'deleted', restoredAt: at }).success).toBe(false);
    const features = { tenantId, name: 'beta', override: null, flags: { 'Bad-Name': true }, changedAt: at };
    expect(TenantFeaturesChangedV1.schema.safeParse(features).success).toBe(false);
    expect(TenantFeaturesChangedV1.schema.safeParse({ ...features, flags: { beta: true } }).success).toBe(true);
  });
});
