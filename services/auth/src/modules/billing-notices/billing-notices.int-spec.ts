import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BusProducer } from '@parley/bus';
import { BillingNoticeV1, type BillingNotice } from '@parley/contracts';
import { waitFor } from '@parley/testing';
import { AuthStack, type Session } from '../../testing/auth-stack';
import type { ReceivedMail } from '../../testing/smtp-sink';

/**
 * Billing's notices (`billing.notice.v1`) mailed by auth through a real SMTP server (the sink):
 * to the tenant's owners and billing members only, once per notice and address, with two auth
 * replicas consuming and the same notice published three times.
 */
describe('billing notices mailed to owners and billing members, once', () => {
  let stack: AuthStack;
  let owner: Session;
  let billing: Session;
  let member: Session;
  let admin: Session;
  let stranger: Session;

  beforeAll(async () => {
    stack = await AuthStack.start();
    owner = await stack.signUp();
    await stack.pg.query(`UPDATE control.tenants SET plan_id = 'pro' WHERE id = $1`, [owner.tenant.id]);
    billing = await stack.join(owner, 'billing');
    member = await stack.join(owner, 'member');
    admin = await stack.join(owner, 'admin');
    stranger = await stack.signUp();
    await stack.replica(); // a second consumer of the notices
  });

  afterAll(async () => {
    await stack?.stop();
  });

  const now = new Date().toISOString();
  const mailsAbout = (session: Session, subject: string): ReceivedMail[] =>
    stack.mail.to(session.user.email).filter((m) => m.subject.includes(subject));
  const publish = (notice: BillingNotice) => stack.app.get(BusProducer).emit(BillingNoticeV1, notice);
  /** A failed payment of this tenant's invoice (its own notice id). */
  const paymentFailed = (tenantId: string, invoiceId: string): BillingNotice => ({
    noticeId: `evt_${invoiceId}`,
    tenantId,
    occurredAt: now,
    kind: 'payment_failed',
    invoiceId,
    amountDue: 100,
    currency: 'usd',
    graceUntil: '2026-12-12T10:00:00.000Z',
  });
  /** Publishes a last notice and waits for its mails: everything published before it was handled (one key, one partition). */
  async function settle(tenantId: string): Promise<void> {
    const trialEndsAt = new Date(Date.now() + 3 * 86_400_000).toISOString();
    await publish({ noticeId: `evt_${randomUUID()}`, tenantId, occurredAt: now, kind: 'trial_ending', trialEndsAt });
    await waitFor(async () => stack.mail.messages.some((m) => m.text.includes(trialEndsAt)), {
      what: 'the closing notice mailed',
    });
  }

  it('mails an 80% budget warning once to each owner and billing member, published three times', async () => {
    const notice: BillingNotice = {
      noticeId: `budget_warning:${owner.tenant.id}:member:${member.user.id}:2026-12:1000000`,
      tenantId: owner.tenant.id,
      occurredAt: now,
      kind: 'budget_warning',
      scope: 'member',
      subjectId: member.user.id,
      capMicros: 1_000_000,
      spentMicros: 850_000,
      period: '2026-12',
      resetAt: '2027-01-01T00:00:00.000Z',
    };
    for (let i = 0; i < 3; i++) await publish(notice);
    await settle(owner.tenant.id);

    const subject = '80% of a monthly budget is spent';
    expect(mailsAbout(owner, subject)).toHaveLength(1);
    expect(mailsAbout(billing, subject)).toHaveLength(1);
    expect(mailsAbout(member, subject)).toEqual([]);
    expect(mailsAbout(admin, subject)).toEqual([]);
    const mail = mailsAbout(owner, subject)[0] as ReceivedMail;
    expect(mail.subject).toBe(`${owner.tenant.name}: 80% of a monthly budget is spent`);
    expect(mail.text).toContain(`$0.85 of $1.00 of the monthly budget of member Joiner <${member.user.email}>`);
    expect(mail.text).toContain('until 2027-01-01T00:00:00.000Z');
    expect(mail.text).toContain('http://app.test/settings/billing');
    const rows = await stack.pg.query(
      `SELECT email FROM auth.billing_notice_mails WHERE notice_id = $1 ORDER BY email`,
      [notice.noticeId],
    );
    expect(rows.rows.map((r: { email: string }) => r.email).sort()).toEqual(
      [owner.user.email, billing.user.email].sort(),
    );
  });

  it('mails the used-up budget, the failed payment with its grace period, and the trial end', async () => {
    const tenantId = owner.tenant.id;
    await publish({
      noticeId: `budget_exceeded:${tenantId}:tenant:-:2026-12:5000000`,
      tenantId,
      occurredAt: now,
      kind: 'budget_exceeded',
      scope: 'tenant',
      subjectId: null,
      capMicros: 5_000_000,
      spentMicros: 5_012_345,
      period: '2026-12',
      resetAt: '2027-01-01T00:00:00.000Z',
    });
    await publish({
      noticeId: 'evt_payment_failed_1',
      tenantId,
      occurredAt: now,
      kind: 'payment_failed',
      invoiceId: 'in_123',
      amountDue: 4_900,
      currency: 'usd',
      graceUntil: '2026-12-12T10:00:00.000Z',
    });
    await settle(tenantId);
    for (const session of [owner, billing]) {
      const [exceeded] = mailsAbout(session, 'a monthly budget is used up');
      expect(exceeded?.text).toContain('$5.01 of $5.00 of the organisation’s monthly budget');
      const [failed] = mailsAbout(session, 'a payment failed');
      expect(failed?.text).toContain('invoice in_123 (49.00 USD) failed');
      expect(failed?.text).toContain('before 2026-12-12T10:00:00.000Z');
      expect(mailsAbout(session, 'the trial ends soon').length).toBeGreaterThanOrEqual(1);
    }
    expect(mailsAbout(member, 'a payment failed')).toEqual([]);
  });

  it('a mail server refusing every attempt of the first try: the mail is queued and sent once to each by the retry pass', async () => {
    const tenantId = owner.tenant.id;
    const invoiceId = `in_refused_${randomUUID().slice(0, 8)}`;
    const attempts = stack.config.auth?.mail.sendAttempts ?? 0;
    expect(attempts).toBeGreaterThan(0);
    // Every attempt of the first send fails: the mail stays queued and the retry pass sends it.
    stack.mail.refuseNext(attempts);
    const refusedBefore = stack.mail.refused;
    await publish(paymentFailed(tenantId, invoiceId));
    await settle(tenantId);
    expect(stack.mail.refused - refusedBefore).toBe(attempts);
    for (const session of [owner, billing]) {
      expect(stack.mail.to(session.user.email).filter((m) => m.text.includes(invoiceId))).toHaveLength(1);
    }
  });

  it('a mail server that is down: the notice is queued, not dead-lettered, and mailed once when it is back', async () => {
    const tenantId = owner.tenant.id;
    const invoiceId = `in_outage_${randomUUID().slice(0, 8)}`;
    const noticeId = `evt_${invoiceId}`;
    await stack.mail.stop();
    try {
      await publish(paymentFailed(tenantId, invoiceId));
      // Consumed and queued for both people (the retry pass keeps trying while the server is away).
      await waitFor(
        async () => {
          const { rows } = await stack.pg.query(
            `SELECT status, attempts FROM auth.billing_notice_mails WHERE notice_id = $1`,
            [noticeId],
          );
          return rows.length === 2 && rows.every((r: { status: string; attempts: number }) => r.attempts >= 2);
        },
        { what: 'the two mails queued and tried again' },
      );
    } finally {
      await stack.mail.start();
    }
    await waitFor(
      async () => {
        const { rows } = await stack.pg.query(
          `SELECT 1 FROM auth.billing_notice_mails WHERE notice_id = $1 AND status = 'sent'`,
          [noticeId],
        );
        return rows.length === 2;
      },
      { what: 'both mails sent once the server is back' },
    );
    for (const session of [owner, billing]) {
      expect(stack.mail.to(session.user.email).filter((m) => m.text.includes(invoiceId))).toHaveLength(1);
    }
    const metrics = await (await fetch(`${stack.base}/metrics`)).text();
    expect(metrics).not.toMatch(/bus_dead_letter_total\{topic="billing\.notice\.v1"/);
  });

  it('a mail refused for longer than MAIL_RETRY_FOR_SECONDS is given up (failed), and never sent twice', async () => {
    const tenantId = owner.tenant.id;
    const invoiceId = `in_giveup_${randomUUID().slice(0, 8)}`;
    const noticeId = `evt_${invoiceId}`;
    await stack.mail.stop();
    try {
      await publish(paymentFailed(tenantId, invoiceId));
      await waitFor(
        async () =>
          (await stack.pg.query(`SELECT 1 FROM auth.billing_notice_mails WHERE notice_id = $1`, [noticeId])).rows
            .length === 2,
        { what: 'the two mails queued' },
      );
      // As if the first attempt had been a day ago: the next refusal gives up.
      await stack.pg.query(
        `UPDATE auth.billing_notice_mails SET created_at = now() - interval '2 days' WHERE notice_id = $1`,
        [noticeId],
      );
      await waitFor(
        async () =>
          (
            await stack.pg.query(`SELECT 1 FROM auth.billing_notice_mails WHERE notice_id = $1 AND status = 'failed'`, [
              noticeId,
            ])
          ).rows.length === 2,
        { what: 'both mails given up' },
      );
    } finally {
      await stack.mail.start();
    }
    await settle(tenantId);
    for (const session of [owner, billing]) {
      expect(stack.mail.to(session.user.email).filter((m) => m.text.includes(invoiceId))).toEqual([]);
    }
  });

  it("another tenant's notice never reaches this tenant's people, nor this one theirs", async () => {
    await publish({
      noticeId: 'evt_payment_failed_stranger',
      tenantId: stranger.tenant.id,
      occurredAt: now,
      kind: 'payment_failed',
      invoiceId: 'in_stranger',
      amountDue: 100,
      currency: 'eur',
      graceUntil: '2026-12-12T10:00:00.000Z',
    });
    await settle(stranger.tenant.id);
    expect(mailsAbout(stranger, 'a payment failed').map((m) => m.text.includes('in_stranger'))).toEqual([true]);
    for (const session of [owner, billing, member, admin]) {
      expect(stack.mail.to(session.user.email).filter((m) => m.text.includes('in_stranger'))).toEqual([]);
    }
    expect(mailsAbout(stranger, '80% of a monthly budget')).toEqual([]);
  });
});
