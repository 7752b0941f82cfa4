/**
 * Bounds how many message handlers of a service run at once. A handler that writes holds a pooled
 * Postgres connection (and may wait on an advisory lock with it), so a backlog handled 32 keys ×
 * N partitions wide would take every connection and starve HTTP requests and the readiness check.
 * Services with a database run at most half their pool of handlers at once; the other half stays
 * free for requests.
 */
export class HandlerLimiter {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1)
      throw new Error(`handler limit must be a positive integer, not ${limit}`);
  }

  /** Half the pool (at least 1) for a service with a database; `unbounded` otherwise. */
  static forPool(poolMax: number | undefined, unbounded: number): HandlerLimiter {
    return new HandlerLimiter(poolMax === undefined ? unbounded : Math.max(1, Math.floor(poolMax / 2)));
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.active++;
    try {
      return await work();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
    }
  }
}
