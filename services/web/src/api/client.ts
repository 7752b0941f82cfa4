import { SESSION_COOKIE_HEADER, SESSION_COOKIE_MODE, type TokenResponse } from '@parley/contracts';
import { ApiError } from './api-error';
import { TokenKeeper } from './token-keeper';

export interface RequestOptions {
  body?: unknown;
  /** Send the access token (default) — false for the sign-in family of routes. */
  auth?: boolean;
  signal?: AbortSignal;
  headers?: Record<string, string>;
}

/**
 * The one HTTP client of the app: same-origin JSON calls to `/api/v1`, the access token from memory,
 * the refresh token never seen by script (the gateway keeps it in an httpOnly cookie when asked with
 * `x-parley-session: cookie`, which is also what lets a cookie refresh through its CSRF check).
 * An expired access token is renewed once and the call retried.
 */
export class ApiClient {
  readonly tokens: TokenKeeper;
  private readonly endedListeners = new Set<() => void>();
  private readonly changedListeners = new Set<() => void>();

  constructor(private readonly base = '') {
    this.tokens = new TokenKeeper(
      () => this.send<TokenResponse>('POST', '/api/v1/auth/refresh', { body: {}, auth: false }),
      () => {
        this.endedListeners.forEach((listener) => listener());
        this.sessionChanged();
      },
    );
  }

  /** Told whenever the person behind the session changes (sign-in, sign-out, session ended). */
  onSessionChanged(listener: () => void): () => void {
    this.changedListeners.add(listener);
    return () => this.changedListeners.delete(listener);
  }

  sessionChanged(): void {
    this.changedListeners.forEach((listener) => listener());
  }

  onSessionEnded(listener: () => void): () => void {
    this.endedListeners.add(listener);
    return () => this.endedListeners.delete(listener);
  }

  get<T>(path: string, options: RequestOptions = {}): Promise<T> {
    return this.send<T>('GET', path, options);
  }

  post<T>(path: string, body?: unknown, options: RequestOptions = {}): Promise<T> {
    return this.send<T>('POST', path, { ...options, body });
  }

  put<T>(path: string, body?: unknown): Promise<T> {
    return this.send<T>('PUT', path, { body });
  }

  patch<T>(path: string, body?: unknown): Promise<T> {
    return this.send<T>('PATCH', path, { body });
  }

  delete<T>(path: string): Promise<T> {
    return this.send<T>('DELETE', path, {});
  }

  /** A file the API answers (an export): its bytes, authenticated like the others. */
  async download(path: string): Promise<Blob> {
    let res = await this.fetchOnce('GET', path, { headers: { accept: '*/*' } }, true);
    if (res.status === 401 && this.tokens.token !== null && (await this.tokens.refresh())) {
      res = await this.fetchOnce('GET', path, { headers: { accept: '*/*' } }, true);
    }
    if (!res.ok) throw await ApiError.from(res);
    return res.blob();
  }

  /** A raw streaming request (the SSE fallback of chat), authenticated like the others. */
  async stream(path: string, body: unknown, signal: AbortSignal): Promise<Response> {
    const res = await this.fetchOnce('POST', path, { body, signal, headers: { accept: 'text/event-stream' } }, true);
    if (!res.ok) throw await ApiError.from(res);
    return res;
  }

  async send<T>(method: string, path: string, options: RequestOptions): Promise<T> {
    const auth = options.auth ?? true;
    let res = await this.fetchOnce(method, path, options, auth);
    if (auth && res.status === 401 && this.tokens.token !== null) {
      const renewed = await this.tokens.refresh();
      if (renewed) res = await this.fetchOnce(method, path, options, auth);
    }
    if (!res.ok) throw await ApiError.from(res);
    if (res.status === 204) return undefined as T;
    const text = await res.text();
    return (text ? JSON.parse(text) : undefined) as T;
  }

  private async fetchOnce(method: string, path: string, options: RequestOptions, auth: boolean): Promise<Response> {
    const headers: Record<string, string> = {
      accept: 'application/json',
      [SESSION_COOKIE_HEADER]: SESSION_COOKIE_MODE,
      ...options.headers,
    };
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    if (auth) {
      const token = await this.tokens.current().catch(() => this.tokens.token);
      if (token) headers.authorization = `Bearer ${token}`;
    }
    try {
      return await fetch(`${this.base}${path}`, {
        method,
        headers,
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
        credentials: 'same-origin',
        signal: options.signal,
      });
    } catch (error) {
      if ((error as { name?: string }).name === 'AbortError') throw error;
      throw new ApiError('network', 'The server cannot be reached', 0);
    }
  }
}

export const api = new ApiClient();
