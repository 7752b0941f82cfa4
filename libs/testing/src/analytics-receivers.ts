import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';

/** One event as a receiver got it (the wire JSON). */
export type ReceivedEvent = Record<string, unknown>;

/** An HTTP server on 127.0.0.1 that can be told to refuse the next requests (503), to test retries. */
abstract class Receiver {
  private server: Server | undefined;
  /** Requests still to refuse with 503. */
  private refusals = 0;
  /** Every request that reached the receiver, refused ones included. */
  requests = 0;
  url = '';

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.serve(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** The next `n` requests get 503 (as a provider that is down). */
  refuseNext(n: number): void {
    this.refusals = n;
  }

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.requests += 1;
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    if (this.refusals > 0) {
      this.refusals -= 1;
      res.writeHead(503).end('unavailable');
      return;
    }
    try {
      const answer = this.handle(req, Buffer.concat(chunks));
      res.writeHead(answer.status, { 'content-type': answer.type }).end(answer.body);
    } catch (error) {
      res.writeHead(400, { 'content-type': 'text/plain' }).end(String(error));
    }
  }

  protected abstract handle(req: IncomingMessage, body: Buffer): { status: number; type: string; body: string };
}

/**
 * PostHog's capture API as posthog-node speaks it: `POST /batch/` with a JSON body (gzip when
 * `content-encoding: gzip`) `{ api_key, batch: [...] }`. Keeps every event with its api key.
 */
export class PostHogReceiver extends Receiver {
  readonly events: (ReceivedEvent & { api_key: string })[] = [];
  gzipBatches = 0;

  protected handle(req: IncomingMessage, body: Buffer) {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (req.method !== 'POST' || path !== '/batch/') return { status: 404, type: 'text/plain', body: 'not found' };
    const gzip = req.headers['content-encoding'] === 'gzip';
    if (gzip) this.gzipBatches += 1;
    const payload = JSON.parse((gzip ? gunzipSync(body) : body).toString('utf8')) as {
      api_key: string;
      batch: ReceivedEvent[];
    };
    if (typeof payload.api_key !== 'string' || !Array.isArray(payload.batch)) throw new Error('not a batch');
    for (const event of payload.batch) this.events.push({ ...event, api_key: payload.api_key });
    return { status: 200, type: 'application/json', body: '{"status":"Ok"}' };
  }
}

/**
 * Mixpanel's ingestion API as the `mixpanel` package speaks it: `/track` (GET `?data=` or POST form
 * `data=`, base64 JSON of one event or a list) and `/groups` (group profile updates), answering `1`.
 */
export class MixpanelReceiver extends Receiver {
  readonly events: ReceivedEvent[] = [];
  readonly groups: ReceivedEvent[] = [];

  protected handle(req: IncomingMessage, body: Buffer) {
    const url = new URL(req.url ?? '/', 'http://x');
    const data =
      req.method === 'POST' ? new URLSearchParams(body.toString('utf8')).get('data') : url.searchParams.get('data');
    if (!data) return { status: 200, type: 'text/plain', body: '0' };
    const decoded = JSON.parse(Buffer.from(data, 'base64').toString('utf8')) as ReceivedEvent | ReceivedEvent[];
    const list = Array.isArray(decoded) ? decoded : [decoded];
    if (url.pathname === '/track') this.events.push(...list);
    else if (url.pathname === '/groups') this.groups.push(...list);
    else return { status: 404, type: 'text/plain', body: '0' };
    return { status: 200, type: 'text/plain', body: '1' };
  }
}
