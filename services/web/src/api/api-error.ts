import type { ProblemBody } from '@parley/contracts';

/** An API failure with the platform's machine-readable code (`network` when the server was not reached). */
export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
    /** Seconds from `Retry-After`, when the server sent it. */
    readonly retryAfterSeconds: number | null = null,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }

  static async from(res: Response): Promise<ApiError> {
    const retry = Number(res.headers.get('retry-after'));
    const retryAfter = Number.isFinite(retry) && retry > 0 ? retry : null;
    let body: Partial<ProblemBody> | undefined;
    try {
      body = (await res.json()) as Partial<ProblemBody>;
    } catch {
      body = undefined;
    }
    const error = body?.error ?? { code: `http_${res.status}`, message: res.statusText };
    const details = typeof error.details === 'object' && error.details !== null ? error.details : {};
    return new ApiError(error.code, error.message, res.status, retryAfter, details as Record<string, unknown>);
  }
}

export function isApiError(error: unknown): error is ApiError {
  return error instanceof ApiError;
}
