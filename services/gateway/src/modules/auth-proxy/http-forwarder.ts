import { Agent, request, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { DomainException, ErrorCode } from '@parley/contracts';

export interface UpstreamRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
}

export interface UpstreamResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

/** Response headers that travel back to the client; the rest (hop-by-hop, server details) stay. */
const PASSED_BACK = ['content-type', 'retry-after', 'cache-control', 'www-authenticate', 'location'] as const;

/**
 * HTTP calls to one internal service over kept-alive connections (node:http: a third of fetch's
 * cost per call on loopback), each with a deadline. Any answer is passed back as it is; a service
 * that cannot be reached or does not answer in time is 503 `service_unavailable`.
 */
export class HttpForwarder {
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 256, maxFreeSockets: 64 });
  private readonly tlsAgent = new HttpsAgent({ keepAlive: true, maxSockets: 256, maxFreeSockets: 64 });

  constructor(
    private readonly service: string,
    private readonly timeoutMs: number,
  ) {}

  async forward(upstream: UpstreamRequest): Promise<UpstreamResponse> {
    try {
      return await this.call(upstream);
    } catch (error) {
      const timedOut = error instanceof Error && error.name === 'TimeoutError';
      throw new DomainException(
        ErrorCode.ServiceUnavailable,
        timedOut
          ? `The ${this.service} service did not answer within ${this.timeoutMs} ms`
          : `The ${this.service} service is unavailable`,
        { service: this.service },
        true,
      );
    }
  }

  close(): void {
    this.agent.destroy();
    this.tlsAgent.destroy();
  }

  private call(upstream: UpstreamRequest): Promise<UpstreamResponse> {
    const tls = upstream.url.startsWith('https:');
    const headers = { ...upstream.headers };
    if (upstream.body !== undefined) headers['content-length'] = String(Buffer.byteLength(upstream.body));
    return new Promise((resolve, reject) => {
      const req = (tls ? httpsRequest : request)(
        upstream.url,
        {
          method: upstream.method,
          headers,
          agent: tls ? this.tlsAgent : this.agent,
          signal: AbortSignal.timeout(this.timeoutMs),
        },
        (res) => {
          collect(res).then(resolve, reject);
        },
      );
      req.on('error', (error) => reject(error.cause instanceof Error ? error.cause : error));
      req.end(upstream.body);
    });
  }
}

function collect(res: IncomingMessage): Promise<UpstreamResponse> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    res.on('data', (chunk: Buffer) => chunks.push(chunk));
    res.on('error', reject);
    res.on('end', () => {
      const headers: Record<string, string> = {};
      for (const name of PASSED_BACK) {
        const value = res.headers[name];
        if (typeof value === 'string') headers[name] = value;
      }
      resolve({ status: res.statusCode ?? 502, headers, body: Buffer.concat(chunks) });
    });
  });
}
