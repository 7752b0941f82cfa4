import { z } from 'zod';
import { sttAbortSchema, sttStartSchema, sttStopSchema, uuidSchema } from '@parley/contracts';

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
  /** The client reads slower than its answers arrive (more than MAX_BUFFERED_BYTES queued for it). */
  TryAgainLater: 1013,
} as const;

/** Answers one socket may have streaming at once; one more send is refused with `too_many_streams`. */
export const MAX_STREAMS_PER_SOCKET = 4;
/** Bytes queued for a socket beyond which it is closed (1013) rather than buffered without bound. */
export const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;
/** After an acknowledged `message.stop`, how long the answer may take to end before it is cut here. */
export const STOP_GRACE_MS = 5000;

/** What the server sends: the frames below, and the chat stream events (`chatStreamEventSchema`). */
export interface RealtimeEvent {
  type: string;
  [field: string]: unknown;
}

/** Text without NUL bytes (which no store accepts), as on the HTTP edge. */
const textWithoutNul = z.string().regex(/^[^\u0000]*$/, 'must not contain NUL bytes');

export const pingMessageSchema = z.strictObject({ type: z.literal('ping') });

/** Ask for an answer in a conversation; the events of the answer follow on this socket. */
export const messageSendSchema = z.strictObject({
  type: z.literal('message.send'),
  /** The client's correlation id: echoed in `message.started` and in refusals (the characters of x-request-id). */
  requestId: z
    .string()
    .regex(/^[A-Za-z0-9._:-]{1,100}$/, 'must be 1-100 of A-Z a-z 0-9 . _ : -')
    .optional(),
  conversationId: uuidSchema,
  content: textWithoutNul.min(1),
  /** A model name of the provider (as the orchestrator accepts it: gpt-4.1-mini, claude-sonnet-4-5, …). */
  model: z
    .string()
    .min(1)
    .max(200)
    .regex(/^[A-Za-z0-9._:/@+-]+$/, 'must be a model name')
    .optional(),
});

/** Answer the conversation's last question again (its current answer is replaced), as `POST …/regenerate`. */
export const messageRegenerateSchema = messageSendSchema.omit({ content: true }).extend({
  type: z.literal('message.regenerate'),
});

/** Edit and resend the last question: it and its answer are replaced by this message and a new answer. */
export const messageResendSchema = messageSendSchema.extend({ type: z.literal('message.resend') });

/** Stop the answer being generated in a conversation (wherever it streams). */
export const messageStopSchema = z.strictObject({
  type: z.literal('message.stop'),
  conversationId: uuidSchema,
});

const clientMessageSchema = z.discriminatedUnion('type', [
  pingMessageSchema,
  messageSendSchema,
  messageRegenerateSchema,
  messageResendSchema,
  messageStopSchema,
  sttStartSchema,
  sttStopSchema,
  sttAbortSchema,
]);
export type ClientMessage = z.infer<typeof clientMessageSchema>;
/** Every frame that asks for an answer: a send, a regenerate or a resend. */
export type MessageSend =
  z.infer<typeof messageSendSchema> | z.infer<typeof messageRegenerateSchema> | z.infer<typeof messageResendSchema>;
export type MessageStop = z.infer<typeof messageStopSchema>;

/** The server's first frame on a new socket. */
export const sessionReadySchema = z.strictObject({
  type: z.literal('session.ready'),
  tenantId: uuidSchema,
  userId: z.string().nullable(),
  kind: z.enum(['user', 'anonymous', 'api-key']),
  /** When the access token expires (the socket then closes with 4401); null for API keys. */
  expiresAt: z.iso.datetime().nullable(),
});

export const pongSchema = z.strictObject({ type: z.literal('pong') });

/** A client frame the server could not use (no socket state changed). */
export const protocolErrorSchema = z.strictObject({
  type: z.literal('error'),
  code: z.enum(['malformed_message', 'unknown_message']),
});

export type ParsedMessage =
  { ok: true; message: ClientMessage } | { ok: false; code: 'malformed_message' | 'unknown_message' };

/**
 * A client frame: text holding a JSON object with a string `type` (binary frames are speech audio,
 * handled before this). A known type with the wrong
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
