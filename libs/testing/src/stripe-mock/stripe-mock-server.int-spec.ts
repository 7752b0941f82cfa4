import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedStripeMock, type StripeMockEnv } from './stripe-mock-server';
import { StripeRecorder } from './stripe-recorder';

describe('stripe-mock in the test infrastructure (scripts/stripe-mock.sh, sharedStripeMock)', () => {
  let env: StripeMockEnv;
  let runDir: string;
  let recorder: StripeRecorder;

  beforeAll(async () => {
    ({ env, runDir } = await sharedStripeMock());
    recorder = await StripeRecorder.start(env);
  });

  afterAll(async () => {
    await recorder?.close();
  });

  it('answers the real Stripe SDK on loopback, and a second ask in the same run reuses the instance', async () => {
    expect(env.host).toBe('127.0.0.1');
    const again = await sharedStripeMock();
    expect(again.env.url).toBe(env.url);
    const stripe = new Stripe('sk_test_parley', { host: env.host, port: env.port, protocol: 'http' });
    const customer = await stripe.customers.create({ name: 'Acme', metadata: { tenant_id: 't-1' } });
    expect(customer.object).toBe('customer');
  });

  it('binds both its HTTP and HTTPS listeners to 127.0.0.1 only', () => {
    const pid = readFileSync(join(runDir, 'pid'), 'utf8').trim();
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    expect(cmdline[cmdline.indexOf('-http-addr') + 1]).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(cmdline[cmdline.indexOf('-https-addr') + 1]).toMatch(/^127\.0\.0\.1:\d+$/);
  });

  it('validates parameters like Stripe (an unknown one is a 400 invalid_request_error)', async () => {
    const stripe = new Stripe('sk_test_parley', { host: env.host, port: env.port, protocol: 'http' });
    await expect(
      stripe.customers.create({ name: 'Acme', not_a_parameter: 'x' } as Stripe.CustomerCreateParams),
    ).rejects.toMatchObject({ statusCode: 400, type: 'StripeInvalidRequestError' });
  });

  it('the recorder passes calls through and keeps what was sent (a meter event and its identifier)', async () => {
    const stripe = new Stripe('sk_test_parley', { host: '127.0.0.1', port: recorder.port, protocol: 'http' });
    const sent = await stripe.billing.meterEvents.create({
      event_name: 'parley_tokens',
      identifier: 'usage-1',
      payload: { stripe_customer_id: 'cus_1', value: '42' },
    });
    expect(sent.object).toBe('billing.meter_event');
    const [call] = recorder.callsTo('POST', '/v1/billing/meter_events');
    expect(call).toMatchObject({ status: 200, params: { identifier: 'usage-1', 'payload[value]': '42' } });
  });

  it('the recorder can inject a Stripe outage (500) for the next calls', async () => {
    const stripe = new Stripe('sk_test_parley', {
      host: '127.0.0.1',
      port: recorder.port,
      protocol: 'http',
      maxNetworkRetries: 0,
    });
    recorder.failNext(1);
    await expect(stripe.customers.retrieve('cus_1')).rejects.toMatchObject({ statusCode: 500 });
    await expect(stripe.customers.retrieve('cus_1')).resolves.toMatchObject({ object: 'customer' });
  });
});
