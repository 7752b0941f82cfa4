import { describe, expect, it } from 'vitest';
import { ALL_TOPICS } from '../registry';
import { TenantCreateV1 } from '../tenant-create/tenant-create.topic';
import { TenantCreateV2 } from '../tenant-create/tenant-create-v2.topic';
import { TenantSignupAbandonedV1 } from './tenant-signup-abandoned.topic';

const signupId = '0b8f3c2e-1a2b-4c3d-8e4f-5a6b7c8d9e0f';

describe('the sign-up saga contracts', () => {
  it('tenant.create.v2 requires the sign-up id that v1 refuses, and is keyed by slug', () => {
    const v1 = { name: 'Acme', slug: 'acme', plan: 'free' } as const;
    expect(ALL_TOPICS).toContain(TenantCreateV2);
    expect(TenantCreateV2.schema.safeParse({ ...v1, signupId }).success).toBe(true);
    expect(TenantCreateV2.schema.safeParse(v1).success).toBe(false);
    expect(TenantCreateV2.schema.safeParse({ ...v1, signupId: 'nope' }).success).toBe(false);
    expect(TenantCreateV1.schema.safeParse({ ...v1, signupId }).success).toBe(false);
    expect(TenantCreateV2.key({ ...v1, signupId })).toBe('acme');
  });

  it('tenant.signup-abandoned.v1 is strict, has a closed list of reasons, and is keyed by sign-up', () => {
    const event = { signupId, slug: 'acme', reason: 'reply_timeout', abandonedAt: new Date().toISOString() } as const;
    expect(ALL_TOPICS).toContain(TenantSignupAbandonedV1);
    expect(TenantSignupAbandonedV1.schema.safeParse(event).success).toBe(true);
    expect(TenantSignupAbandonedV1.schema.safeParse({ ...event, extra: 1 }).success).toBe(false);
    expect(TenantSignupAbandonedV1.schema.safeParse({ ...event, reason: 'bored' }).success).toBe(false);
    expect(TenantSignupAbandonedV1.key(event)).toBe(signupId);
  });
});
