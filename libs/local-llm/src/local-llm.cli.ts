/**
 * Runs the local demo model behind an OpenAI-compatible endpoint, for `npm start` and benchmarks:
 *   node libs/local-llm/dist/local-llm.cli.js --model <file.gguf> [--port 8091] [--host 127.0.0.1]
 *     [--threads <cores - 1>] [--context-size 2048] [--max-tokens 256] [--model-id gemma-3-270m-local]
 * Prints `OPENAI_BASE_URL=…` and `OPENAI_MODEL=…` once the model is loaded; SIGTERM/SIGINT close it.
 */
import { parseArgs } from 'node:util';
import { LOCAL_MODEL_ID, LocalLlmServer } from './local-llm-server';
import { defaultThreads } from './local-model';

function positiveInt(name: string, value: string, max: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > max) {
    process.stderr.write(`local-llm: --${name} must be an integer 0..${max}, got "${value}"\n`);
    process.exit(64);
  }
  return n;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      model: { type: 'string' },
      port: { type: 'string', default: '8091' },
      host: { type: 'string', default: '127.0.0.1' },
      threads: { type: 'string', default: String(defaultThreads()) },
      'context-size': { type: 'string', default: '2048' },
      'max-tokens': { type: 'string', default: '256' },
      'model-id': { type: 'string', default: LOCAL_MODEL_ID },
    },
    strict: true,
  });
  if (!values.model) {
    process.stderr.write('local-llm: --model <file.gguf> is required (scripts/local-model/fetch-model.sh prints it)\n');
    process.exit(64);
  }
  const server = await LocalLlmServer.start({
    modelPath: values.model,
    host: values.host,
    port: positiveInt('port', values.port, 65535),
    threads: Math.max(1, positiveInt('threads', values.threads, 64)),
    contextSize: Math.max(256, positiveInt('context-size', values['context-size'], 32768)),
    maxTokens: Math.max(1, positiveInt('max-tokens', values['max-tokens'], 4096)),
    modelId: values['model-id'],
  });
  process.stdout.write(
    `local-llm listening on http://${server.host}:${server.port}\n` +
      `OPENAI_BASE_URL=${server.baseUrl}\nOPENAI_MODEL=${server.modelId}\n`,
  );
  let closing = false;
  const stop = () => {
    if (closing) return;
    closing = true;
    void server.close().then(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`local-llm: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
