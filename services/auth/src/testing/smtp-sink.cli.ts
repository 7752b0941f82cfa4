import { SmtpSink } from './smtp-sink';

/**
 * Local development: `node services/auth/dist/testing/smtp-sink.cli.js [--port 2525] [--host 127.0.0.1]`.
 * Prints every received message as one JSON line (links included), so invites and resets can be
 * followed without a real mail server. Auth's default SMTP_URL (smtp://127.0.0.1:2525) points here.
 */
function option(name: string, fallback: string): string {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? (process.argv[index + 1] ?? fallback) : fallback;
}

async function main(): Promise<void> {
  const port = Number(option('port', '2525'));
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new Error('--port must be a port number');
  const sink = await SmtpSink.start({
    port,
    host: option('host', '127.0.0.1'),
    onMail: (mail) => process.stdout.write(`${JSON.stringify({ event: 'mail', ...mail })}\n`),
  });
  process.stdout.write(`${JSON.stringify({ event: 'listening', url: sink.url })}\n`);
  const stop = () => void sink.stop().then(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`smtp-sink: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
