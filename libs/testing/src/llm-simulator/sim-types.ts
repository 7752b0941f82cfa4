import type { IncomingHttpHeaders } from 'node:http';

export type SimProtocol = 'anthropic' | 'openai';

/** Which requests a rule applies to; every given field must match. */
export interface SimMatch {
  /** Equal to the request's `model`. */
  model?: string;
  /**
   * Contained in the prompt: the system prompt or any message's text (so also in later turns of a
   * conversation whose history holds it; use `times` or a fresh marker per turn).
   */
  promptIncludes?: string;
  protocol?: SimProtocol;
}

/** What the simulator does with a matching request. Unset fields behave as the default answer. */
export interface SimScenario {
  /** An HTTP status >= 400 answers with that provider's documented error body. */
  status?: number;
  /** Sent as `retry-after` (seconds) with an error status. */
  retryAfterSeconds?: number;
  /** Sent as `retry-after-ms` with an error status (both SDKs honor it). */
  retryAfterMs?: number;
  /** The answer, split into word chunks (each word with the spaces before it). */
  text?: string;
  /** The answer as exactly these chunks (wins over `text`). */
  chunks?: string[];
  /** Wait before the first text chunk (streaming) or before answering (non-streaming, errors). */
  firstTokenDelayMs?: number;
  /** Wait between text chunks. */
  tokenDelayMs?: number;
  /**
   * Stream this many text chunks, then the protocol's mid-stream error (Anthropic `event: error`
   * overloaded_error; OpenAI a `data: {"error":…}` line), then end the response. Non-streaming: a 500.
   */
  errorAfterChunks?: number;
  /**
   * Stream this many text chunks, then destroy the socket (no terminal event, no end of response).
   * Non-streaming: the socket is closed before any answer.
   */
  disconnectAfterChunks?: number;
  /**
   * Write the streamed body in slices of this many bytes, each flushed on its own about 1 ms apart,
   * so lines and multi-byte UTF-8 characters arrive cut across TCP reads.
   */
  fragmentBytes?: number;
  /** Report no usage at all (Anthropic: no `usage` fields; OpenAI: no usage chunk / field). */
  omitUsage?: boolean;
  /** The rule applies to this many requests, then expires. Default: forever. */
  times?: number;
}

export interface LlmSimulatorOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0 (a free port). */
  port?: number;
  /** Default delay between text chunks of the default answer. Default 0. */
  tokenDelayMs?: number;
  /** Default delay before the first text chunk. Default 0. */
  firstTokenDelayMs?: number;
  /**
   * When set, the default answer has exactly this many word chunks: the echo's words, then filler
   * words (`lorem ipsum …`, cyclic) if the echo is shorter (still bounded by max_tokens).
   */
  chunks?: number;
  /** When set, only these keys are accepted (others → 401); by default any non-empty key is. */
  apiKeys?: string[];
  /** Listed by `GET /v1/models`. */
  models?: string[];
  /** Keep only the latest N requests in `requests` (long-running processes). Default: all. */
  maxRecordedRequests?: number;
}

/** One request the simulator received, updated as its response goes on. */
export interface SimRequest {
  /** 1, 2, … in order of arrival. */
  seq: number;
  protocol: SimProtocol;
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** The parsed JSON body (null for GET or an unparsable body). */
  body: Record<string, unknown> | null;
  /** `body.model`, or null. */
  model: string | null;
  /** The text the rules match on: the system prompt and every message's text, joined by newlines. */
  prompt: string;
  stream: boolean;
  /** The status sent (0 before the head is written). */
  status: number;
  /** The client went away before the response ended. */
  aborted: boolean;
  /** The simulator destroyed the socket on purpose (`disconnectAfterChunks`). */
  disconnected: boolean;
  /** The response was sent completely. */
  completed: boolean;
  receivedAt: number;
  /** The client's port: equal for requests sent over one kept-alive connection. */
  remotePort: number;
}
