import { describe, expect, it } from 'vitest';
import { domainOfEmail, normaliseDomain } from './domain-name';

describe('normaliseDomain', () => {
  it('lower-cases, drops a trailing dot and converts international names to punycode', () => {
    expect(normaliseDomain('Acme.Example.')).toBe('acme.example');
    expect(normaliseDomain(' sub.acme.test ')).toBe('sub.acme.test');
    expect(normaliseDomain('bücher.example')).toBe('xn--bcher-kva.example');
  });

  it.each([
    ['an address', '10.0.0.1'],
    ['an IPv6 address', '::1'],
    ['a single label', 'localhost'],
    ['a wildcard', '*.acme.test'],
    ['a URL', 'https://acme.test'],
    ['an email', 'someone@acme.test'],
    ['a label with a leading hyphen', '-acme.test'],
    ['a label over 63 characters', `${'a'.repeat(64)}.test`],
    ['a name over 253 characters', `${'a.'.repeat(127)}test`],
    ['an empty string', ''],
    ['a numeric top-level label', 'acme.123'],
    ['an underscore', 'ac_me.test'],
  ])('refuses %s', (_what, input) => {
    expect(normaliseDomain(input)).toBeNull();
  });
});

describe('domainOfEmail', () => {
  it('takes the part after the last @', () => {
    expect(domainOfEmail('Ann.Lee@Acme.Test')).toBe('acme.test');
    expect(domainOfEmail('no-at-sign')).toBeNull();
    expect(domainOfEmail('@acme.test')).toBeNull();
  });
});
