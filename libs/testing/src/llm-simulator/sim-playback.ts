import type { ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { AnswerPlan } from './sim-answer';
import type { SimRequest, SimScenario } from './sim-types';

export interface SimTiming {
  firstTokenDelayMs: number;
  tokenDelayMs: number;
}

/** Where a stream's body goes: straight to the response, or fragmented (`fragmentBytes`). */
export interface SimOut {
  write(text: string): void;
  end(): void;
  /** Resolves when everything written so far went to the socket. */
  flushed(): Promise<void>;
}

/** Everything a protocol handler needs to answer one request. */
export interface SimExchange {
  res: ServerResponse;
  out: SimOut;
  record: SimRequest;
  body: Record<string, unknown>;
  scenario: SimScenario | null;
  plan: AnswerPlan;
  timing: SimTiming;
  /** Aborts when the response closes (client gone, or done). */
  gone: AbortSignal;
  /** Seconds since the epoch, for `created`. */
  created: number;
  id: string;
}

/** How one protocol writes the parts of a stream. Every method writes at once (`res.write`). */
export interface StreamWriter {
  /** Status, headers and whatever comes before the first text chunk. */
  open(): void;
  text(chunk: string, index: number): void;
  /** The protocol's mid-stream error, then the end of the response. */
  fail(): void;
  /** The closing events, then the end of the response. */
  close(): void;
}

export function writeSse(out: SimOut, event: string | null, data: unknown): void {
  const json = typeof data === 'string' ? data : JSON.stringify(data);
  out.write(event === null ? `data: ${json}\n\n` : `event: ${event}\ndata: ${json}\n\n`);
}

export function simOut(res: ServerResponse, fragmentBytes: number | undefined, gone: AbortSignal): SimOut {
  if (!fragmentBytes || fragmentBytes < 1) {
    return { write: (text) => void res.write(text), end: () => void res.end(), flushed: () => Promise.resolve() };
  }
  let tail = Promise.resolve();
  const queue = (step: () => Promise<void> | void) => {
    tail = tail.then(step).catch(() => undefined);
  };
  return {
    write(text) {
      queue(async () => {
        const bytes = Buffer.from(text, 'utf8');
        for (let i = 0; i < bytes.length && !gone.aborted; i += fragmentBytes) {
          res.write(bytes.subarray(i, i + fragmentBytes));
          await pause(1, gone);
        }
      });
    },
    end: () => queue(() => void res.end()),
    flushed: () => tail,
  };
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(payload),
    ...headers,
  });
  res.end(payload);
}

export async function pause(ms: number, gone: AbortSignal): Promise<void> {
  if (ms <= 0 || gone.aborted) return;
  await sleep(ms, undefined, { signal: gone }).catch(() => undefined);
}

/** Destroys the connection without ending the response (after what was written went out). */
export function disconnect(exchange: SimExchange): void {
  exchange.record.disconnected = true;
  void exchange.out.flushed().then(() => {
    const socket = exchange.res.socket;
    if (socket) socket.end(() => socket.destroy());
  });
}

function gone(exchange: SimExchange): boolean {
  return exchange.gone.aborted || exchange.res.destroyed;
}

/** Plays a streamed answer: opening, text chunks paced by the timing, then the end or the scripted failure. */
export async function playStream(exchange: SimExchange, writer: StreamWriter): Promise<void> {
  const { scenario, plan, timing } = exchange;
  const errorAt = scenario?.errorAfterChunks;
  const disconnectAt = scenario?.disconnectAfterChunks;
  writer.open();
  await pause(timing.firstTokenDelayMs, exchange.gone);
  for (let i = 0; i <= plan.chunks.length; i++) {
    if (gone(exchange)) return;
    const last = i === plan.chunks.length;
    if (errorAt !== undefined && (i === errorAt || (last && errorAt > i))) return writer.fail();
    if (disconnectAt !== undefined && (i === disconnectAt || (last && disconnectAt > i))) return disconnect(exchange);
    if (last) return writer.close();
    if (i > 0) await pause(timing.tokenDelayMs, exchange.gone);
    if (gone(exchange)) return;
    writer.text(plan.chunks[i] as string, i);
  }
}
