import { z } from 'zod';

/** Largest frame a client may send; a larger one closes the socket with 1009 (message too big). */
export const MAX_PAYLOAD_BYTES = 64 * 1024;
/** Open sockets one principal (a user, or an API key) may hold on one replica. */
export const MAX_SOCKETS_PER_PRINCIPAL = 10;
/** A ws ping this often; a peer that has not answered the previous one is terminated. */
export const HEARTBEAT_INTERVAL_MS = 30_000;

/** Close codes the endpoint uses besides the standard ones. */
export const CloseCode = {
  MessageTooBig: 1009,
  GoingAway: 1001,
  TokenExpired: 4401,
  TooManyConnections: 4429,
} as const;

/** What the server sends. Issue 4's streaming adds `message.started`, `token`, `message.completed`, `error`. */
export interface RealtimeEvent {
  type: string;
  [field: string]: unknown;
}

const clientMessageSchema = z.discriminatedUnion('type', [z.object({ type: z.literal('ping') }).strict()]);
export type ClientMessage = z.infer<typeof clientMessageSchema>;

export type ParsedMessage =
  { ok: true; message: ClientMessage } | { ok: false; code: 'malformed_message' | 'unknown_message' };

/**
 * A client frame: text holding a JSON object with a string `type`. A known type with the wrong
 * shape (extra or missing fields), binary data or bad JSON is `malformed_message`; a well-formed
 * object of a type the server does not know is `unknown_message`.
 */
export function parseClientMessage(data: string | Buffer, isBinary: boolean): ParsedMessage {
  if (isBinary) return { ok: false, code: 'malformed_message' };
  let value: unknown;
  try {
    value = JSON.parse(data.toString());
  } catch {
    return { ok: false, code: 'malformed_message' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return { ok: false, code: 'malformed_message' };
  const type = (value as { type?: unknown }).type;
  if (typeof type !== 'string') return { ok: false, code: 'malformed_message' };
  if (!KNOWN_TYPES.has(type)) return { ok: false, code: 'unknown_message' };
  const parsed = clientMessageSchema.safeParse(value);
  return parsed.success ? { ok: true, message: parsed.data } : { ok: false, code: 'malformed_message' };
}

const KNOWN_TYPES: ReadonlySet<string> = new Set(clientMessageSchema.options.map((o) => o.shape.type.value));
