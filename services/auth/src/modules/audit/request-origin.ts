import { AsyncLocalStorage } from 'node:async_hooks';
import { Injectable, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { normaliseClientIp } from '../lockout/client-ip';

/** Where an HTTP request came from, for audit entries: the client address and its user agent. */
export interface RequestOrigin {
  ip: string | null;
  userAgent: string | null;
}

const storage = new AsyncLocalStorage<RequestOrigin>();
const USER_AGENT_MAX = 512;

/** The origin of the request being handled (nulls outside one: a job, a consumed message). */
export function currentOrigin(): RequestOrigin {
  return storage.getStore() ?? { ip: null, userAgent: null };
}

/**
 * Keeps each request's client address (`req.ip`, which honours TRUST_PROXY_HOPS: the gateway's
 * X-Forwarded-For) and user agent (at most 512 characters) for the audit entries it causes.
 */
@Injectable()
export class RequestOriginMiddleware implements NestMiddleware {
  use(req: Request, _res: Response, next: NextFunction): void {
    const ip = normaliseClientIp(req.ip);
    const userAgent = req.header('user-agent')?.slice(0, USER_AGENT_MAX) || null;
    storage.run({ ip: ip === 'unknown' ? null : ip, userAgent }, next);
  }
}
