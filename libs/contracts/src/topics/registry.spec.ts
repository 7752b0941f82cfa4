import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defineEvent, TOPIC_NAME_PATTERN } from '../bus/topic-definition';
import { z } from 'zod';
import { ALL_TOPICS } from './registry';
import { DEAD_LETTER_TOPIC } from './dead-letter/dead-letter.topic';
import { replyTopicName } from '../bus/reply-envelope';
import { TenantCreatedV1 } from './tenant-created/tenant-created.topic';

describe('topic contracts', () => {
  it('names every topic <domain>.<event>.v<version>, once', () => {
    const names = [...ALL_TOPICS.map((t) => t.name), DEAD_LETTER_TOPIC, replyTopicName('chat-orchestrator')];
    for (const name of names) expect(name).toMatch(TOPIC_NAME_PATTERN);
    expect(new Set(names).size).toBe(names.length);
  });

  it('refuses a badly named topic', () => {
    expect(() => defineEvent({ name: 'TenantCreated', schema: z.object({}), key: () => 'k' })).toThrow(
      /does not follow/,
    );
  });

  it('rejects unknown fields in tenant.created.v1 and keys it by tenant', () => {
    const valid = {
      tenantId: '0b8f3c2e-1a2b-4c3d-8e4f-5a6b7c8d9e0f',
      name: 'Acme',
      slug: 'acme',
      plan: 'free',
      deploymentMode: 'cloud',
      schemaName: 'tenant_0b8f3c2e1a2b4c3d8e4f5a6b7c8d9e0f',
      createdAt: new Date().toISOString(),
    } as const;
    expect(TenantCreatedV1.schema.safeParse(valid).success).toBe(true);
    expect(TenantCreatedV1.schema.safeParse({ ...valid, extra: 1 }).success).toBe(false);
    expect(TenantCreatedV1.key(valid)).toBe(valid.tenantId);
  });
});

describe('docs/ARCHITECTURE.md', () => {
  it('lists every topic of the platform', () => {
    const doc = readFileSync(resolve(__dirname, '../../../../docs/ARCHITECTURE.md'), 'utf8');
    expect(ALL_TOPICS.map((t) => t.name).filter((name) => !doc.includes(`\`${name}\``))).toEqual([]);
  });
});
