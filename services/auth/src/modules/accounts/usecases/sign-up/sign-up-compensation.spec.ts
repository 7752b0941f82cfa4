import { describe, expect, it } from 'vitest';
import { DomainException, ErrorCode } from '@parley/contracts';
import { SignUpCompensation } from './sign-up-compensation';

describe('SignUpCompensation.reasonOf', () => {
  it.each([
    [new DomainException(ErrorCode.BusRequestTimeout, 'late'), false, 'reply_timeout'],
    [new DomainException(ErrorCode.ServiceUnavailable, 'down'), false, 'bus_unavailable'],
    [new DomainException(ErrorCode.BusUnavailable, 'down'), false, 'bus_unavailable'],
    [new DomainException(ErrorCode.TenantSlugTaken, 'taken'), false, 'tenant_refused'],
    [new Error('anything'), false, 'tenant_refused'],
    [new DomainException(ErrorCode.EmailTaken, 'taken'), true, 'owner_failed'],
  ])('names %s (owner step: %s) as %s', (error, ownerStep, reason) => {
    expect(SignUpCompensation.reasonOf(error, ownerStep)).toBe(reason);
  });
});
