import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, EgressPolicy, type AppConfig } from '@parley/config';
import { DomainException, ErrorCode, SSO_LIMITS } from '@parley/contracts';

function fetchFailed(reason: string): DomainException {
  return new DomainException(ErrorCode.SsoMetadataInvalid, `IdP metadata could not be fetched: ${reason}`, {
    reason,
  });
}

/**
 * Fetches an IdP's metadata document from a URL a tenant admin gave, through the egress policy: the
 * URL is checked on save (400 `egress_denied`) and the socket connects only to an address the
 * policy allowed (its `lookup`: no DNS rebinding). One GET, no redirects, at most
 * SSO_LIMITS.metadataChars bytes within SSO_LIMITS.metadataFetchTimeoutMs.
 */
@Injectable()
export class IdpMetadataFetcher {
  private readonly egress: EgressPolicy;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.egress = new EgressPolicy(config.egress);
  }

  async fetch(raw: string): Promise<string> {
    await this.egress.checkUrl(raw);
    const url = new URL(raw);
    this.egress.assertConnectable(url);
    const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise<string>((resolve, reject) => {
      const req = request(
        url,
        {
          method: 'GET',
          headers: { accept: 'application/samlmetadata+xml, application/xml, text/xml' },
          lookup: this.egress.lookup,
          signal: AbortSignal.timeout(SSO_LIMITS.metadataFetchTimeoutMs),
        },
        (res) => {
          readBody(res).then(resolve, reject);
        },
      );
      req.on('error', (error: Error) => {
        const cause = error.cause instanceof Error ? error.cause : error;
        reject(
          cause instanceof DomainException
            ? cause
            : fetchFailed(cause.name === 'TimeoutError' ? 'timed out' : cause.message),
        );
      });
      req.end();
    });
  }
}

function readBody(res: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    if (res.statusCode !== 200) {
      res.resume();
      reject(fetchFailed(`the server answered ${res.statusCode ?? 'nothing'}`));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    res.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > SSO_LIMITS.metadataChars) {
        res.destroy();
        reject(fetchFailed(`larger than ${SSO_LIMITS.metadataChars} bytes`));
        return;
      }
      chunks.push(chunk);
    });
    res.on('error', (error) => reject(fetchFailed(error.message)));
    res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}
