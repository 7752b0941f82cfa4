import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { StripeMockEnv } from './stripe-mock-server';

/** One request as the Stripe SDK sent it (form-encoded body decoded into flat `a[b]` keys). */
export interface RecordedStripeCall {
  method: string;
  path: string;
  idempotencyKey: string | null;
  params: Record<string, string>;
  status: number;
}

/**
 * A pass-through in front of stripe-mock that keeps every request the service made: stripe-mock
 * answers (validation included), the recorder only remembers what was asked, so a test can assert
 * what reached "Stripe" (every meter event's identifier) without mocking the SDK or the API.
 * `failNext(n)` answers the next n requests with 500 before they reach stripe-mock (a Stripe outage).
 */
export class StripeRecorder {
  readonly calls: RecordedStripeCall[] = [];
  private failures = 0;

  private constructor(
    private readonly server: Server,
    public port: number,
  ) {}

  static async start(target: StripeMockEnv): Promise<StripeRecorder> {
    const server = createServer();
    const recorder = new StripeRecorder(server, 0);
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const body = Buffer.concat(chunks);
        const call: RecordedStripeCall = {
          method: req.method ?? 'GET',
          path: (req.url ?? '/').split('?')[0] ?? '/',
          idempotencyKey: (req.headers['idempotency-key'] as string | undefined) ?? null,
          params: Object.fromEntries(new URLSearchParams(body.toString('utf8'))),
          status: 0,
        };
        recorder.calls.push(call);
        if (recorder.failures > 0) {
          recorder.failures -= 1;
          call.status = 500;
          res.writeHead(500, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ error: { type: 'api_error', message: 'injected outage' } }));
          return;
        }
        const upstream = request(
          { host: target.host, port: target.port, method: req.method, path: req.url, headers: req.headers },
          (answer) => {
            call.status = answer.statusCode ?? 0;
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            answer.pipe(res);
          },
        );
        upstream.on('error', () => {
          res.writeHead(502);
          res.end();
        });
        upstream.end(body);
      });
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    recorder.port = (server.address() as AddressInfo).port;
    return recorder;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  failNext(count: number): void {
    this.failures = count;
  }

  callsTo(method: string, path: string): RecordedStripeCall[] {
    return this.calls.filter((c) => c.method === method && c.path === path);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((done) => this.server.close(() => done()));
  }
}
