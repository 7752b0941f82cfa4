import { describe, expect, it } from 'vitest';
import { TenantContext } from './tenant-context';

const A = '0b7a3c52-6f7e-4a35-9a4d-2d1c2f0e9a11';
const B = '5d4e1f00-91c3-4c1b-8f3a-7e6d5c4b3a22';

describe('TenantContext.within', () => {
  it('sets the tenant where none is set, and keeps it where the same one is', async () => {
    await expect(TenantContext.within(A, async () => TenantContext.require())).resolves.toBe(A);
    await expect(
      TenantContext.run(A, () => TenantContext.within(A, async () => TenantContext.require())),
    ).resolves.toBe(A);
  });

  it('refuses, without running the work, when the context names another tenant', async () => {
    let ran = false;
    await expect(
      TenantContext.run(A, () =>
        TenantContext.within(B, async () => {
          ran = true;
        }),
      ),
    ).rejects.toThrow('The request context and the principal name different tenants');
    expect(ran).toBe(false);
  });
});
