import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { RequestContext } from '@parley/observability';
import type { VerifiedAccess } from '../access-tokens/access-token.claims';
import { TenantCommand } from './tenant-command';

class Probe extends TenantCommand {
  static create(access: VerifiedAccess): Probe {
    return new Probe(access);
  }
}

const access = (tenantId: string): VerifiedAccess => ({
  userId: randomUUID(),
  tenantId,
  role: 'owner',
  sessionId: randomUUID(),
  plan: 'free',
  tokenId: randomUUID(),
  expiresAt: new Date(Date.now() + 60_000),
});

describe('TenantCommand', () => {
  it('takes the tenant from the request context the bearer guard filled', () => {
    const tenantId = randomUUID();
    const command = RequestContext.with({ tenantId }, () => Probe.create(access(tenantId)));
    expect(command.tenantId).toBe(tenantId);
  });

  it('fails closed without a tenant in context', () => {
    expect(() => RequestContext.run(RequestContext.fresh(), () => Probe.create(access(randomUUID())))).toThrow(
      expect.objectContaining({ code: 'tenant_context_missing' }),
    );
  });

  it('refuses a token whose tenant differs from the context', () => {
    expect(() => RequestContext.with({ tenantId: randomUUID() }, () => Probe.create(access(randomUUID())))).toThrow(
      /different tenants/,
    );
  });
});
