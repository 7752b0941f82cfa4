import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** A message as the sink received it. */
export interface ReceivedMail {
  /** Envelope recipients. */
  to: string[];
  from: string;
  subject: string;
  text: string;
  receivedAt: Date;
}

/**
 * A real SMTP server on loopback that keeps every message in memory, for tests and local
 * development (`node services/auth/dist/testing/smtp-sink.cli.js`). No TLS; any credentials are
 * accepted. `stop()` and `start()` again on the same port simulate the mail server going away.
 */
export class SmtpSink {
  readonly messages: ReceivedMail[] = [];
  /** Messages refused so far with a temporary error (see refuseNext). */
  refused = 0;
  private server: SMTPServer | undefined;
  private toRefuse = 0;

  private constructor(
    private port: number,
    private readonly host: string,
    private readonly onMail?: (mail: ReceivedMail) => void,
  ) {}

  static async start(
    options: { port?: number; host?: string; onMail?: (mail: ReceivedMail) => void } = {},
  ): Promise<SmtpSink> {
    const sink = new SmtpSink(options.port ?? 0, options.host ?? '127.0.0.1', options.onMail);
    await sink.start();
    return sink;
  }

  /** `smtp://127.0.0.1:<port>`, for SMTP_URL. */
  get url(): string {
    return `smtp://${this.host}:${this.port}`;
  }

  get running(): boolean {
    return this.server !== undefined;
  }

  /** Listens (again) on the sink's port. */
  async start(): Promise<void> {
    if (this.server) return;
    const server = new SMTPServer({
      authOptional: true,
      allowInsecureAuth: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      size: 10 * 1024 * 1024,
      closeTimeout: 100,
      onAuth: (auth, _session, callback) => callback(null, { user: auth.username ?? 'sink' }),
      onData: (stream, session, callback) => {
        if (this.toRefuse > 0) {
          this.toRefuse--;
          this.refused++;
          stream.resume();
          stream.on('end', () => callback(Object.assign(new Error('Try again later'), { responseCode: 451 })));
          return;
        }
        simpleParser(stream).then(
          (parsed) => {
            const mail: ReceivedMail = {
              to: session.envelope.rcptTo.map((r) => r.address.toLowerCase()),
              from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
              subject: parsed.subject ?? '',
              text: parsed.text ?? '',
              receivedAt: new Date(),
            };
            this.messages.push(mail);
            this.onMail?.(mail);
            callback();
          },
          (error: Error) => callback(error),
        );
      },
    });
    await new Promise<void>((resolve, reject) => {
      server.server.once('error', reject);
      server.listen(this.port, this.host, () => {
        server.server.off('error', reject);
        resolve();
      });
    });
    this.port = (server.server.address() as AddressInfo).port;
    this.server = server;
  }

  /** Stops listening: senders get "connection refused" until start() is called again. */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(resolve));
  }

  /** Refuses the next `count` messages with 451 (a temporary failure: the sender may retry). */
  refuseNext(count: number): void {
    this.toRefuse = count;
  }

  /** Messages to one address (case-insensitive), oldest first. */
  to(address: string): ReceivedMail[] {
    const wanted = address.toLowerCase();
    return this.messages.filter((m) => m.to.includes(wanted));
  }

  /** The next message to `address` beyond the first `seen` ones. */
  async waitForMail(address: string, seen = 0, timeoutMs = 15_000): Promise<ReceivedMail> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const mail = this.to(address)[seen];
      if (mail) return mail;
      if (Date.now() > deadline) throw new Error(`No mail #${seen + 1} to ${address} within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }
}

/** The first `?token=` of a link in a mail. */
export function tokenFromMail(mail: ReceivedMail): string {
  const match = /[?&]token=([^\s&]+)/.exec(mail.text);
  if (!match?.[1]) throw new Error(`No token link in mail "${mail.subject}"`);
  return decodeURIComponent(match[1]);
}
