import { describe, expect, it } from 'vitest';
import { billingNoticeMail, usd } from './billing-notice-mail';

const base = { noticeId: 'n1', tenantId: '0b8f3c2e-1a2b-4c3d-8e4f-5a6b7c8d9e0f', occurredAt: '2026-12-05T10:00:00Z' };
const input = { to: 'a@example.com', tenant: 'Acme\r\nBcc: x@example.com', publicUrl: 'https://parley.test' };

describe('billing notice mails', () => {
  it('writes micro-USD as dollars and cents', () => {
    expect(usd(850_000)).toBe('$0.85');
    expect(usd(5_012_345)).toBe('$5.01');
    expect(usd(0)).toBe('$0.00');
  });

  it('keeps the tenant name on one line in the subject (no header injection)', () => {
    const mail = billingNoticeMail({ ...base, kind: 'trial_ending', trialEndsAt: '2026-12-08T00:00:00Z' }, input);
    expect(mail.subject).toBe('Acme Bcc: x@example.com: the trial ends soon');
    expect(mail.to).toBe('a@example.com');
    expect(mail.text).toContain('https://parley.test/settings/billing');
  });

  it('names the API key a budget caps, and the reset time', () => {
    const mail = billingNoticeMail(
      {
        ...base,
        kind: 'budget_exceeded',
        scope: 'api_key',
        subjectId: 'k1',
        capMicros: 2_000_000,
        spentMicros: 2_000_000,
        period: '2026-12',
        resetAt: '2027-01-01T00:00:00.000Z',
      },
      { ...input, subject: 'CI key' },
    );
    expect(mail.text).toContain('$2.00 of $2.00 of the monthly budget of API key CI key');
    expect(mail.text).toContain('refused until 2027-01-01T00:00:00.000Z');
  });

  it('gives a failed payment’s amount in its currency and the end of the grace period', () => {
    const mail = billingNoticeMail(
      {
        ...base,
        kind: 'payment_failed',
        invoiceId: 'in_1',
        amountDue: 1999,
        currency: 'eur',
        graceUntil: '2026-12-12T00:00:00.000Z',
      },
      input,
    );
    expect(mail.text).toContain('invoice in_1 (19.99 EUR) failed');
    expect(mail.text).toContain('before 2026-12-12T00:00:00.000Z');
  });
});
