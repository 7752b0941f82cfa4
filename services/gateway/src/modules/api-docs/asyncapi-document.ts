import { z } from 'zod';
import {
  messageCompletedEventSchema,
  messageStartedEventSchema,
  STT_STREAM_LIMITS,
  streamErrorEventSchema,
  sttAbortSchema,
  sttErrorSchema,
  sttFinalSchema,
  sttPartialSchema,
  sttStartedSchema,
  sttStartSchema,
  sttStopSchema,
  sttStoppedSchema,
  tokenEventSchema,
} from '@parley/contracts';
import {
  CloseCode,
  MAX_BUFFERED_BYTES,
  MAX_PAYLOAD_BYTES,
  MAX_SOCKETS_PER_PRINCIPAL,
  MAX_STREAMS_PER_SOCKET,
  messageRegenerateSchema,
  messageResendSchema,
  messageSendSchema,
  messageStopSchema,
  pingMessageSchema,
  pongSchema,
  protocolErrorSchema,
  sessionReadySchema,
  STOP_GRACE_MS,
} from '../realtime/realtime-messages';

export const ASYNCAPI_PATH = '/api/docs/asyncapi.json';

interface MessageSpec {
  schema: z.ZodType;
  title: string;
  summary: string;
}

/** What a client sends on /ws. */
const CLIENT_MESSAGES: Record<string, MessageSpec> = {
  ping: { schema: pingMessageSchema, title: 'ping', summary: 'Answered with `pong`.' },
  messageSend: {
    schema: messageSendSchema,
    title: 'message.send',
    summary:
      'Send a message to one of your conversations; the answer streams back on this socket as ' +
      '`message.started`, `token`×N, then `message.completed` or `error` (all with this conversationId; ' +
      '`message.started.requestId` echoes requestId). A refusal is one `error` frame with messageId and seq null: ' +
      `too_many_streams (more than ${MAX_STREAMS_PER_SOCKET} answers streaming on this socket), insufficient_scope ` +
      '(API key without chat:write), rate_limited (the HTTP per-plan limits), tenant_suspended, not_found, ' +
      'generation_in_progress, quota_exceeded, unknown_skill, validation_failed, provider_not_configured, ' +
      'service_unavailable.',
  },
  messageRegenerate: {
    schema: messageRegenerateSchema,
    title: 'message.regenerate',
    summary:
      "Answer the conversation's last question again; its current answer is replaced. The answer streams " +
      'back as for `message.send`; refusals as for `message.send`, plus nothing_to_regenerate (no question yet).',
  },
  messageResend: {
    schema: messageResendSchema,
    title: 'message.resend',
    summary:
      'Edit and resend the last question: it and its answer are replaced by `content` and a new answer, ' +
      'streamed as for `message.send`; refusals as for `message.send`, plus nothing_to_regenerate.',
  },
  messageStop: {
    schema: messageStopSchema,
    title: 'message.stop',
    summary:
      'Stop the answer being generated in that conversation, wherever it streams; the stream then ends with ' +
      '`message.completed` (status `stopped`). An answer of this socket that has not started yet ends with an ' +
      `\`error\` of code \`stopped\`, as does one still streaming ${STOP_GRACE_MS} ms after the stop. Nothing is ` +
      'sent when there was nothing to stop; a refusal is an `error` frame.',
  },
};

/** Speech to text over /ws (the stt service's session, relayed): the client's frames. */
const STT_CLIENT_MESSAGES: Record<string, MessageSpec> = {
  sttStart: {
    schema: sttStartSchema,
    title: 'stt.start',
    summary:
      'Start a speech session (one per socket at a time): `pcm16` (16 kHz mono s16le) or `webm/opus` audio follows ' +
      `as binary frames of at most ${STT_STREAM_LIMITS.maxFrameBytes} bytes, at most ` +
      `${STT_STREAM_LIMITS.maxRealtimeFactor}× real time, for at most ${STT_STREAM_LIMITS.maxSessionSeconds} s. ` +
      'Needs `stt:write` for an API key; checked against the monthly speech minutes. Answered with `stt.started`.',
  },
  sttStop: {
    schema: sttStopSchema,
    title: 'stt.stop',
    summary: 'End the session: the utterance under way gets its `stt.final`, then `stt.stopped`.',
  },
  sttAbort: {
    schema: sttAbortSchema,
    title: 'stt.abort',
    summary: 'Drop the session at once (no final, nothing metered for the utterance under way), then `stt.stopped`.',
  },
};

/** Speech to text over /ws: the server's frames. */
const STT_SERVER_MESSAGES: Record<string, MessageSpec> = {
  sttStarted: { schema: sttStartedSchema, title: 'stt.started', summary: 'The session runs; audio may follow.' },
  sttPartial: {
    schema: sttPartialSchema,
    title: 'stt.partial',
    summary:
      `The utterance so far, at least every ${STT_STREAM_LIMITS.partialIntervalMs} ms while speech goes on; ` +
      '`stable` is the prefix consecutive decodes agreed on (it only grows).',
  },
  sttFinal: {
    schema: sttFinalSchema,
    title: 'stt.final',
    summary:
      'An utterance transcribed by the main model, after voice-activity endpointing (silence of `silenceMs`, ' +
      `default ${STT_STREAM_LIMITS.defaultSilenceMs} ms) or \`stt.stop\`; metered once (\`usageId\`).`,
  },
  sttError: {
    schema: sttErrorSchema,
    title: 'stt.error',
    summary: 'A refusal or failure; a `fatal` one ends the session (`stt.stopped` follows).',
  },
  sttStopped: { schema: sttStoppedSchema, title: 'stt.stopped', summary: 'The session is over, with why.' },
};

/** What the server sends on /ws. */
const SERVER_MESSAGES: Record<string, MessageSpec> = {
  sessionReady: { schema: sessionReadySchema, title: 'session.ready', summary: 'The first frame on a new socket.' },
  pong: { schema: pongSchema, title: 'pong', summary: 'The answer to `ping`.' },
  messageStarted: {
    schema: messageStartedEventSchema,
    title: 'message.started',
    summary: 'An answer began (seq 0).',
  },
  token: { schema: tokenEventSchema, title: 'token', summary: 'A piece of the answer; seq counts every event from 0.' },
  messageCompleted: {
    schema: messageCompletedEventSchema,
    title: 'message.completed',
    summary: 'The answer ended (status complete or stopped) with its usage.',
  },
  streamError: {
    schema: streamErrorEventSchema,
    title: 'error',
    summary:
      'A send was refused (messageId and seq null, partial false), or its answer failed (partial: the partial ' +
      'answer was stored as failed).',
  },
  protocolError: {
    schema: protocolErrorSchema,
    title: 'error (protocol)',
    summary:
      'A frame that is not JSON text of a known shape (malformed_message) or of an unknown type (unknown_message).',
  },
};

/** The JSON Schema of a zod schema, as an AsyncAPI (draft-07 based) schema object. */
function jsonSchema(schema: z.ZodType): Record<string, unknown> {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { target: 'draft-7', io: 'input' }) as Record<
    string,
    unknown
  >;
  return rest;
}

function messages(specs: Record<string, MessageSpec>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(specs).map(([id, spec]) => [
      id,
      { name: spec.title, title: spec.title, summary: spec.summary, payload: { $ref: `#/components/schemas/${id}` } },
    ]),
  );
}

function refs(specs: Record<string, MessageSpec>): { $ref: string }[] {
  return Object.keys(specs).map((id) => ({ $ref: `#/channels/ws/messages/${id}` }));
}

/**
 * The AsyncAPI 3.0 description of the `/ws` channel, from the gateway's point of view (it receives
 * the client's frames and sends its own), with every payload's JSON Schema generated from the zod
 * schemas the gateway and the orchestrator validate with.
 */
export function buildAsyncApiDocument(host: string, secure: boolean): Record<string, unknown> {
  const clientMessages = { ...CLIENT_MESSAGES, ...STT_CLIENT_MESSAGES };
  const serverMessages = { ...SERVER_MESSAGES, ...STT_SERVER_MESSAGES };
  const all = { ...clientMessages, ...serverMessages };
  return {
    asyncapi: '3.0.0',
    info: {
      title: 'Parley realtime API',
      version: '1',
      description:
        'One WebSocket per client at `/ws` on the gateway. Authenticate at the upgrade with ' +
        '`Sec-WebSocket-Protocol: bearer, <access token or pk_… API key>` (answered with `bearer`), or ' +
        '`?access_token=`, or the usual Authorization / X-API-Key headers — exactly one. Frames are JSON text of ' +
        `at most ${MAX_PAYLOAD_BYTES} bytes (larger: close ${CloseCode.MessageTooBig}); binary frames are the audio of ` +
        `a speech session (\`stt.start\`). At most ` +
        `${MAX_SOCKETS_PER_PRINCIPAL} sockets per user or key per replica. The socket closes with ` +
        `${CloseCode.TokenExpired} token_expired when the access token expires (invalid_api_key when an API key is ` +
        `revoked or expires), and with ${CloseCode.TryAgainLater} ` +
        `when more than ${MAX_BUFFERED_BYTES} bytes wait for a client that reads too slowly (its answers are ` +
        'aborted). Closing the socket stops its answers (stored as stopped). The HTTP API is described at /api/docs.',
    },
    defaultContentType: 'application/json',
    servers: {
      gateway: {
        host,
        protocol: secure ? 'wss' : 'ws',
        description: 'The gateway that served this document',
        security: [
          { $ref: '#/components/securitySchemes/bearer' },
          { $ref: '#/components/securitySchemes/accessToken' },
        ],
      },
    },
    channels: {
      ws: {
        address: '/ws',
        title: 'The realtime socket',
        messages: Object.fromEntries(Object.keys(all).map((id) => [id, { $ref: `#/components/messages/${id}` }])),
      },
    },
    operations: {
      receiveClientFrames: {
        action: 'receive',
        title: 'Frames a client sends',
        channel: { $ref: '#/channels/ws' },
        messages: refs(clientMessages),
      },
      sendServerFrames: {
        action: 'send',
        title: 'Frames the server sends',
        channel: { $ref: '#/channels/ws' },
        messages: refs(serverMessages),
      },
    },
    components: {
      schemas: Object.fromEntries(Object.entries(all).map(([id, spec]) => [id, jsonSchema(spec.schema)])),
      messages: messages(all),
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT or pk_… API key',
          description: 'As the subprotocol pair `bearer, <token>` (browsers), or an Authorization header',
        },
        accessToken: { type: 'httpApiKey', name: 'access_token', in: 'query' },
      },
    },
  };
}
