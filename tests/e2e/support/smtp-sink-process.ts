import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { REPO_ROOT, waitFor } from '@parley/testing';

export interface SinkMail {
  to: string[];
  subject: string;
  text: string;
}

/**
 * The auth service's local SMTP sink (`smtp-sink.cli.js`, the one `npm start` runs) as a process: a
 * real SMTP server whose received mails are read from its JSON output.
 */
export class SmtpSinkProcess {
  private output = '';

  private constructor(
    readonly port: number,
    private readonly child: ChildProcess,
  ) {
    child.stdout?.on('data', (chunk: Buffer) => {
      this.output += chunk.toString('utf8');
    });
  }

  static async start(port: number): Promise<SmtpSinkProcess> {
    const cli = resolve(REPO_ROOT, 'services/auth/dist/testing/smtp-sink.cli.js');
    const child = spawn(process.execPath, [cli, '--port', String(port)], { stdio: ['ignore', 'pipe', 'inherit'] });
    const sink = new SmtpSinkProcess(port, child);
    await waitFor(() => sink.output.includes('"event":"listening"'), { what: 'SMTP sink listening' });
    return sink;
  }

  messages(): SinkMail[] {
    return this.output
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { event: string } & SinkMail)
      .filter((entry) => entry.event === 'mail');
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((r) => this.child.once('exit', r));
    this.child.kill('SIGTERM');
    await exited;
  }
}
