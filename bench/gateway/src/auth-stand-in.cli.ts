import { AuthStandIn } from './auth-stand-in';

/**
 * The auth stand-in as a process of its own (`node bench/gateway/dist/auth-stand-in.cli.js <port>`),
 * so the direct baseline crosses a process boundary like the gateway path does, and the load
 * generator does not also serve it.
 */
async function main(): Promise<void> {
  const standIn = await AuthStandIn.start(Number(process.argv[2] ?? 0));
  process.stdout.write(`listening ${standIn.url}\n`);
  const stop = () => void standIn.close().then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

void main();
