import type { BillingNotice } from '@parley/contracts';
import type { MailMessage } from '../mail/mail-message';
import { oneLine } from '../mail/mail-text';

/** `1234567` micro-USD → `$1.23`. */
export function usd(micros: number): string {
  return `$${(micros / 1_000_000).toFixed(2)}`;
}

/** `1999`, `eur` → `19.99 EUR` (Stripe amounts are in the currency's smallest unit). */
function money(amount: number, currency: string): string {
  return `${(amount / 100).toFixed(2)} ${currency.toUpperCase()}`;
}

function budgetName(notice: Extract<BillingNotice, { scope: unknown }>, subject: string | null): string {
  const who = oneLine(subject ?? notice.subjectId ?? '');
  switch (notice.scope) {
    case 'tenant':
      return 'the organisation’s monthly budget';
    case 'member':
      return `the monthly budget of member ${who}`;
    case 'api_key':
      return `the monthly budget of API key ${who}`;
  }
}

/** The mail of a billing notice to one owner or billing member. */
export function billingNoticeMail(
  notice: BillingNotice,
  input: { to: string; tenant: string; publicUrl: string; subject?: string | null },
): MailMessage {
  const tenant = oneLine(input.tenant);
  const link = `${input.publicUrl}/settings/billing`;
  const lines = (subject: string, ...body: string[]): MailMessage => ({
    to: input.to,
    subject,
    text: [...body, '', `Billing settings: ${link}`, ''].join('\n'),
  });
  switch (notice.kind) {
    case 'budget_warning':
      return lines(
        `${tenant}: 80% of a monthly budget is spent`,
        `${usd(notice.spentMicros)} of ${usd(notice.capMicros)} of ${budgetName(notice, input.subject ?? null)} is spent this month (${notice.period}).`,
        `At ${usd(notice.capMicros)} new chats and transcriptions under this budget stop until ${notice.resetAt}.`,
      );
    case 'budget_exceeded':
      return lines(
        `${tenant}: a monthly budget is used up`,
        `${usd(notice.spentMicros)} of ${usd(notice.capMicros)} of ${budgetName(notice, input.subject ?? null)} is spent this month (${notice.period}).`,
        `New chats and transcriptions under this budget are refused until ${notice.resetAt}, or until the budget is raised.`,
      );
    case 'payment_failed':
      return lines(
        `${tenant}: a payment failed`,
        `The payment of invoice ${oneLine(notice.invoiceId)} (${money(notice.amountDue, notice.currency)}) failed.`,
        `Update the payment method before ${notice.graceUntil}: after that, new chats and transcriptions are refused until an invoice is paid. Nothing is deleted.`,
      );
    case 'trial_ending':
      return lines(
        `${tenant}: the trial ends soon`,
        `The trial of ${tenant} on Parley ends at ${notice.trialEndsAt}.`,
        'Add a payment method to keep the plan; without one the subscription ends with the trial.',
      );
  }
}
