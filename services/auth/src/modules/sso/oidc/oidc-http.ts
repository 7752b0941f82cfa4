import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, EgressPolicy, type AppConfig } from '@parley/config';
import { OIDC_LIMITS } from '@parley/contracts';

/** An IdP call that failed: unreachable, denied by the egress policy, too slow, too large, not JSON. */
export class IdpCallFailed extends Error {
  override readonly name = 'IdpCallFailed';
}

export interface IdpAnswer {
  status: number;
  json: unknown;
}

/**
 * Calls to a tenant's OIDC provider (discovery, JWKS, token endpoint) through the egress policy:
 * the URL is checked and the socket connects only to an address the policy allows (its `lookup`:
 * no DNS rebinding). No redirects; at most OIDC_LIMITS.fetchBytes within OIDC_LIMITS.fetchTimeoutMs;
 * the answer must be JSON.
 */
@Injectable()
export class OidcHttp {
  private readonly egress: EgressPolicy;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.egress = new EgressPolicy(config.egress);
  }

  getJson(url: string): Promise<IdpAnswer> {
    return this.send(url, 'GET', { accept: 'application/json' });
  }

  postForm(url: string, form: URLSearchParams, headers: Record<string, string> = {}): Promise<IdpAnswer> {
    const body = form.toString();
    return this.send(
      url,
      'POST',
      {
        ...headers,
        accept: 'application/json',
        'content-type': 'application/x-www-form-urlencoded',
        'content-length': String(Buffer.byteLength(body)),
      },
      body,
    );
  }

  private async send(raw: string, method: string, headers: Record<string, string>, body?: string): Promise<IdpAnswer> {
    try {
      await this.egress.checkUrl(raw);
      this.egress.assertConnectable(new URL(raw));
    } catch (error) {
      throw new IdpCallFailed(`${raw}: ${error instanceof Error ? error.message : String(error)}`);
    }
    const url = new URL(raw);
    const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise<IdpAnswer>((resolve, reject) => {
      const req = request(
        url,
        { method, headers, lookup: this.egress.lookup, signal: AbortSignal.timeout(OIDC_LIMITS.fetchTimeoutMs) },
        (res) => {
          readJson(res, raw).then(resolve, reject);
        },
      );
      req.on('error', (error: Error) => {
        const cause = error.cause instanceof Error ? error.cause : error;
        reject(new IdpCallFailed(`${raw}: ${cause.name === 'TimeoutError' ? 'timed out' : cause.message}`));
      });
      req.end(body);
    });
  }
}

function readJson(res: IncomingMessage, url: string): Promise<IdpAnswer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    res.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > OIDC_LIMITS.fetchBytes) {
        res.destroy();
        reject(new IdpCallFailed(`${url}: answer larger than ${OIDC_LIMITS.fetchBytes} bytes`));
        return;
      }
      chunks.push(chunk);
    });
    res.on('error', (error) => reject(new IdpCallFailed(`${url}: ${error.message}`)));
    res.on('end', () => {
      try {
        resolve({ status: res.statusCode ?? 0, json: JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown });
      } catch {
        reject(new IdpCallFailed(`${url}: answered ${res.statusCode ?? '?'} with no JSON`));
      }
    });
  });
}
