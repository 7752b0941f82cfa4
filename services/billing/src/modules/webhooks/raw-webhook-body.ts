import type { INestApplication } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { BILLING_LIMITS, DomainException, ErrorCode } from '@parley/contracts';

/** The service's own path of the Stripe webhook (the route table's upstream path). */
export const STRIPE_WEBHOOK_PATH = '/billing/webhooks/stripe';

type RawRequest = Request & { rawBody?: Buffer };

/**
 * Stripe signs the exact bytes it sends, so the webhook's body must reach the handler unparsed:
 * this middleware reads that one path's body (at most BILLING_LIMITS.webhookBytes, else 413) into
 * `req.rawBody` before the platform's JSON parser, which then sees a finished request and leaves
 * it alone. It has to run first, and the platform's HTTP factory has no hook for it, so it is put
 * at the head of the Express stack here; every other path is untouched.
 */
export function captureRawWebhookBody(app: INestApplication): void {
  const express = app.getHttpAdapter().getInstance() as {
    use(fn: unknown): void;
    router: { stack: unknown[] };
  };
  express.use((req: RawRequest, _res: Response, next: NextFunction) => {
    if (req.method !== 'POST' || req.path !== STRIPE_WEBHOOK_PATH) return next();
    const chunks: Buffer[] = [];
    let size = 0;
    let refused = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > BILLING_LIMITS.webhookBytes) {
        if (!refused) next(new DomainException(ErrorCode.PayloadTooLarge, 'Webhook body too large'));
        refused = true;
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (refused) return;
      req.rawBody = Buffer.concat(chunks);
      req.body = undefined;
      next();
    });
    req.on('error', (error) => {
      if (!refused) next(error);
      refused = true;
    });
  });
  const layer = express.router.stack.pop();
  express.router.stack.unshift(layer);
}
