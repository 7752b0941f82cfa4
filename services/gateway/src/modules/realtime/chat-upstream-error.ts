import { ErrorCode } from '@parley/contracts';
import type { HttpAnswer } from '@parley/observability';

/** A problem body larger than this is not read further. */
const MAX_ERROR_BODY_BYTES = 64 * 1024;

export interface UpstreamProblem {
  code: string;
  message: string;
}

/**
 * The code and message of an orchestrator answer that is not a stream: its problem body
 * (`{ error: { code, message } }`) when it has one, else a `service_unavailable` naming the status.
 */
export function readUpstreamProblem(upstream: HttpAnswer): Promise<UpstreamProblem> {
  const fallback: UpstreamProblem = {
    code: ErrorCode.ServiceUnavailable,
    message: `The chat service answered with status ${upstream.status}`,
  };
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    upstream.body.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_ERROR_BODY_BYTES) {
        upstream.abort();
        return;
      }
      chunks.push(chunk);
    });
    upstream.body.on('error', () => undefined);
    upstream.body.on('close', () => {
      if (size > MAX_ERROR_BODY_BYTES || upstream.status < 300) {
        resolve(fallback);
        return;
      }
      resolve(problemOf(Buffer.concat(chunks).toString('utf8')) ?? fallback);
    });
  });
}

function problemOf(text: string): UpstreamProblem | null {
  try {
    const body = JSON.parse(text) as { error?: { code?: unknown; message?: unknown } };
    const { code, message } = body.error ?? {};
    if (typeof code !== 'string' || typeof message !== 'string') return null;
    return { code, message };
  } catch {
    return null;
  }
}
