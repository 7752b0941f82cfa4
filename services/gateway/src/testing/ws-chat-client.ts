import { WebSocket } from 'ws';
import { waitFor } from '@parley/testing';

export type Frame = Record<string, unknown>;

/** A WebSocket client of /ws for tests: every frame parsed, in order. */
export interface WsChatClient {
  ws: WebSocket;
  frames: Frame[];
  raw: string[];
  closed: Promise<{ code: number; reason: string }>;
  send(frame: unknown): void;
  /** Waits for the frames after session.ready to satisfy `done`; returns them. */
  until(done: (frames: Frame[]) => boolean, what: string): Promise<Frame[]>;
}

/** Opens /ws with the credential as the bearer subprotocol; resolves after session.ready. */
export async function connectChat(wsUrl: string, credential: string): Promise<WsChatClient> {
  const ws = new WebSocket(`${wsUrl}/ws`, ['bearer', credential]);
  const frames: Frame[] = [];
  const raw: string[] = [];
  ws.on('message', (data: Buffer) => {
    raw.push(data.toString('utf8'));
    frames.push(JSON.parse(data.toString('utf8')) as Frame);
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  await new Promise<void>((resolve, reject) => {
    ws.on('open', () => resolve());
    ws.on('error', reject);
  });
  const client: WsChatClient = {
    ws,
    frames,
    raw,
    closed,
    send: (frame) => ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame)),
    until: async (done, what) => {
      await waitFor(() => done(frames.slice(1)), { what, timeoutMs: 10_000 });
      return frames.slice(1);
    },
  };
  await waitFor(() => frames[0]?.type === 'session.ready', { what: 'session.ready' });
  return client;
}

/** A frame that ends an answer. */
export const terminal = (f: Frame): boolean => f.type === 'message.completed' || f.type === 'error';
