import { randomUUID } from 'node:crypto';
import type { BrowserContext, Page } from 'playwright-core';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from 'pg';
import { freePort, PlatformProcesses, sharedStripeMock, StripeRecorder, waitFor } from '@parley/testing';
import { launchChromium, seriousA11yViolations, type RunningBrowser, submitSignUp } from './support/browser';
import { SmtpSinkProcess } from './support/smtp-sink-process';

const WEBHOOK_SECRET = 'whsec_parleywebbilling0001';

/**
 * The billing page in a real browser, against the real gateway, auth, tenant and billing services
 * (billing on stripe-mock behind a recorder): the owner finds Billing in the navigation, sees the
 * free plan, sets a monthly budget below 80% of what was already spent (the budget banner, and the
 * 80% mail through billing's notice and auth's SMTP mailer), is sent to Stripe Checkout by Upgrade,
 * and sees the payment banner and gets the payment mail once a signed `invoice.payment_failed`
 * reached billing.
 */
describe('the web app: the billing page', () => {
  let platform: PlatformProcesses;
  let recorder: StripeRecorder;
  let chromium: RunningBrowser;
  let context: BrowserContext;
  let page: Page;
  let api: string;
  let mail: SmtpSinkProcess;
  let pg: Client;
  const slug = `wb-${randomUUID().slice(0, 8)}`;

  beforeAll(async () => {
    const [{ env: mock }, browser] = await Promise.all([sharedStripeMock(), launchChromium()]);
    chromium = browser;
    recorder = await StripeRecorder.start(mock);
    mail = await SmtpSinkProcess.start(await freePort());
    platform = await PlatformProcesses.start({
      services: ['tenant', 'auth', 'billing', 'gateway'],
      env: { DEPLOYMENT_MODE: 'cloud' },
      serviceEnv: {
        auth: { TRUST_PROXY_HOPS: '1', SMTP_URL: `smtp://127.0.0.1:${mail.port}` },
        billing: {
          BILLING_ENABLED: 'true',
          STRIPE_SECRET_KEY: 'sk_test_parleyweb',
          STRIPE_API_BASE: recorder.url,
          STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
          STRIPE_PRICE_ID_PRO: 'price_webPro',
          STRIPE_PRICE_ID_ENTERPRISE: 'price_webEnterprise',
          STRIPE_PRICE_ID_SEAT: 'price_webSeat',
        },
      },
    });
    api = platform.url('gateway');
    pg = new Client({ connectionString: platform.db.url });
    await pg.connect();
    context = await chromium.browser.newContext();
    page = await context.newPage();
    page.setDefaultTimeout(45_000);
    // Checkout is Stripe's page: the browser is sent there; here it answers with a stand-in.
    await context.route(/^https:\/\/([a-z]+\.)?stripe\.com\//, (route) =>
      route.fulfill({ status: 200, contentType: 'text/html', body: '<title>Stripe Checkout</title><h1>Checkout</h1>' }),
    );
  }, 900_000);

  afterAll(async () => {
    await chromium?.close();
    await pg?.end();
    await platform?.stop();
    await mail?.stop();
    await recorder?.close();
  });

  const mailTo = (subject: string) =>
    waitFor(() => mail.messages().find((m) => m.to.includes(`owner@${slug}.test`) && m.subject.includes(subject)), {
      what: `the mail "${subject}"`,
    });

  it('shows the plan, sets a budget, upgrades through Checkout and shows the payment banner', async () => {
    await page.goto(`${api}/sign-up`);
    const signedUp = await submitSignUp(page, {
      organisation: `Org ${slug}`,
      slug,
      name: 'Bea Billing',
      email: `owner@${slug}.test`,
      password: 'correct horse battery',
    });
    const tenantId = signedUp.tenant.id;

    await page.getByRole('link', { name: 'Billing' }).click();
    await page.getByRole('heading', { name: 'Billing', level: 1 }).waitFor();
    await page.getByText('Current plan: free.').waitFor();
    await page.getByText('No invoices yet.').waitFor();
    expect(await seriousA11yViolations(page)).toEqual([]);

    // $21 already spent this month (a ledger row, as the usage consumer writes it).
    await pg.query(
      `INSERT INTO billing.usage_ledger (usage_id, tenant_id, kind, quantity, cost_micros, estimated, source_id, recorded_at)
       VALUES ($1, $2, 'tokens', 1000, 21000000, false, 'web-billing', now())`,
      [randomUUID(), tenantId],
    );
    await page.getByLabel('Monthly budget (USD)').fill('25');
    await page.getByRole('button', { name: 'Save budget' }).click();
    await page.getByText('$21.00 spent of a $25.00 budget this month.').waitFor();
    await page.getByRole('status').filter({ hasText: 'Over 80% of a monthly budget is spent.' }).waitFor();
    const warning = await mailTo('80% of a monthly budget is spent');
    expect(warning.text).toContain('$21.00 of $25.00 of the organisation’s monthly budget');

    await page.getByRole('button', { name: 'Upgrade to Pro' }).click();
    await page.waitForURL(/stripe\.com/);
    const checkout = recorder
      .callsTo('POST', '/v1/checkout/sessions')
      .find((c) => c.params.client_reference_id === tenantId);
    expect(checkout?.params).toMatchObject({ mode: 'subscription', 'line_items[0][price]': 'price_webPro' });

    // Stripe reports a failed payment (signed, straight to billing: see docs/billing.md on the gateway).
    const now = Math.floor(Date.now() / 1000);
    const payload = JSON.stringify({
      id: `evt_web_${now}`,
      object: 'event',
      created: now,
      type: 'invoice.payment_failed',
      data: {
        object: {
          id: `in_web_${now}`,
          object: 'invoice',
          customer: 'cus_web',
          status: 'open',
          amount_due: 4900,
          amount_paid: 0,
          currency: 'usd',
          created: now,
          status_transitions: { finalized_at: now },
          parent: { type: 'subscription_details', subscription_details: { metadata: { tenant_id: tenantId } } },
        },
      },
    });
    // Through the gateway, as Stripe delivers it: the raw bytes and the signature header forwarded.
    const delivered = await fetch(`${api}/api/v1/billing/webhooks/stripe`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'stripe-signature': Stripe.webhooks.generateTestHeaderString({ payload, secret: WEBHOOK_SECRET }),
      },
      body: payload,
    });
    expect(delivered.status).toBe(200);
    const forged = await fetch(`${api}/api/v1/billing/webhooks/stripe`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'stripe-signature': 't=1,v1=00' },
      body: payload,
    });
    expect(forged.status).toBe(400);
    await page.goto(`${api}/settings/billing`);
    await page.getByRole('alert').filter({ hasText: 'A payment failed.' }).waitFor();
    await page.getByRole('cell', { name: 'open', exact: true }).waitFor();
    const failed = await mailTo('a payment failed');
    expect(failed.text).toContain(`invoice in_web_${now} (49.00 USD) failed`);
    expect(mail.messages().filter((m) => m.subject.includes('a payment failed'))).toHaveLength(1);
  });
});
