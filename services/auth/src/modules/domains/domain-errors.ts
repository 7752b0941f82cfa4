import { DomainException, ErrorCode } from '@parley/contracts';

/** Also the answer for another tenant's claim. */
export function domainNotFound(): DomainException {
  return new DomainException(ErrorCode.NotFound, 'No such domain in this tenant');
}

export function invalidDomain(): DomainException {
  return new DomainException(
    ErrorCode.ValidationFailed,
    'Give a domain name such as example.com (no address, wildcard, URL or single label)',
    { issues: ['domain: must be a host name with at least two labels'] },
  );
}

/** Another tenant holds the domain verified; which one is not told. */
export function domainTaken(domain: string): DomainException {
  return new DomainException(ErrorCode.DomainTaken, `${domain} is already verified by another organisation`, {
    domain,
  });
}

export function verificationFailed(reason: string, details: Record<string, unknown> = {}): DomainException {
  return new DomainException(ErrorCode.DomainVerificationFailed, reason, details);
}

export function dnsUnavailable(cause: string): DomainException {
  return new DomainException(
    ErrorCode.DnsUnavailable,
    'The DNS lookup failed; nothing was changed, try again later',
    { cause },
    true,
  );
}
