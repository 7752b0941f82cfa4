/**
 * Runs the LLM simulator as a process, for `npm start` demos and benchmarks:
 *   node libs/testing/dist/llm-simulator/llm-simulator.cli.js --port 8090 [--host 127.0.0.1]
 *     [--token-delay-ms 0] [--first-token-delay-ms 0] [--chunks 20]
 * Prints its base URLs; SIGTERM/SIGINT close it (exit 0).
 */
import { parseArgs } from 'node:util';
import { LlmSimulator } from './llm-simulator';

function nonNegativeInt(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) {
    process.stderr.write(`llm-simulator: --${name} must be a non-negative integer, got "${value}"\n`);
    process.exit(64);
  }
  return n;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '8090' },
      host: { type: 'string', default: '127.0.0.1' },
      'token-delay-ms': { type: 'string' },
      'first-token-delay-ms': { type: 'string' },
      chunks: { type: 'string' },
    },
    strict: true,
  });
  const chunks = nonNegativeInt('chunks', values.chunks);
  const sim = await LlmSimulator.start({
    host: values.host,
    port: nonNegativeInt('port', values.port),
    tokenDelayMs: nonNegativeInt('token-delay-ms', values['token-delay-ms']),
    firstTokenDelayMs: nonNegativeInt('first-token-delay-ms', values['first-token-delay-ms']),
    chunks: chunks === 0 ? undefined : chunks,
    maxRecordedRequests: 1000,
  });
  process.stdout.write(
    `llm-simulator listening on ${sim.url}\n` +
      `ANTHROPIC_BASE_URL=${sim.anthropicBaseUrl}\n` +
      `OPENAI_BASE_URL=${sim.openaiBaseUrl}\n`,
  );
  let closing = false;
  const stop = () => {
    if (closing) return;
    closing = true;
    void sim.close().then(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`llm-simulator: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
