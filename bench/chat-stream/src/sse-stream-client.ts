import { Agent, request } from 'node:http';
import { StringDecoder } from 'node:string_decoder';

/** One streamed answer as the client saw it: when it started, when each token arrived, what it said. */
export interface StreamTiming {
  startedAt: number;
  tokenTimes: number[];
  text: string;
  /** Token indexes (platform) in arrival order; empty for the direct path, which has none. */
  indexes: number[];
  /** Event sequence numbers (platform) in arrival order. */
  seqs: number[];
  completed: boolean;
}

type Extract = (data: string, event: string | null) => { text?: string; index?: number; seq?: number; done?: boolean };

/**
 * POSTs a JSON body and reads the `text/event-stream` answer incrementally, timestamping every
 * token at the moment its SSE frame is complete. `extract` reads one frame's data.
 */
export class SseStreamClient {
  private readonly agent: Agent;

  constructor(maxSockets: number) {
    this.agent = new Agent({ keepAlive: true, maxSockets });
  }

  post(url: string, headers: Record<string, string>, body: unknown, extract: Extract): Promise<StreamTiming> {
    const payload = JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const timing: StreamTiming = {
        startedAt: performance.now(),
        tokenTimes: [],
        text: '',
        indexes: [],
        seqs: [],
        completed: false,
      };
      const req = request(
        url,
        {
          method: 'POST',
          agent: this.agent,
          headers: {
            ...headers,
            accept: 'text/event-stream',
            'content-type': 'application/json',
            'content-length': String(Buffer.byteLength(payload)),
          },
        },
        (res) => {
          if (res.statusCode !== 200) {
            let errorBody = '';
            res.on('data', (c: Buffer) => (errorBody += c.toString()));
            res.on('end', () => reject(new Error(`POST ${url} answered ${res.statusCode}: ${errorBody}`)));
            return;
          }
          res.socket.setNoDelay(true);
          const decoder = new StringDecoder('utf8');
          let buffer = '';
          res.on('data', (chunk: Buffer) => {
            const now = performance.now();
            buffer += decoder.write(chunk);
            let end: number;
            while ((end = buffer.indexOf('\n\n')) !== -1) {
              const frame = buffer.slice(0, end);
              buffer = buffer.slice(end + 2);
              let event: string | null = null;
              const data: string[] = [];
              for (const line of frame.split('\n')) {
                if (line.startsWith('event:')) event = line.slice(6).trim();
                else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
              }
              if (data.length === 0) continue;
              const got = extract(data.join('\n'), event);
              if (got.seq !== undefined) timing.seqs.push(got.seq);
              if (got.text !== undefined) {
                timing.tokenTimes.push(now);
                timing.text += got.text;
                if (got.index !== undefined) timing.indexes.push(got.index);
              }
              if (got.done) timing.completed = true;
            }
          });
          res.on('end', () => resolve(timing));
          res.on('error', reject);
        },
      );
      req.on('socket', (socket) => socket.setNoDelay(true));
      req.on('error', reject);
      req.end(payload);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

/** An OpenAI Chat Completions chunk: its content delta; `[DONE]` ends the stream. */
export const openAiChunk: Extract = (data) => {
  if (data === '[DONE]') return { done: true };
  const chunk = JSON.parse(data) as { choices?: { delta?: { content?: string } }[] };
  const text = chunk.choices?.[0]?.delta?.content;
  return text ? { text } : {};
};

/** A Parley stream event: `token` carries text and its index; `message.completed` ends it. */
export const parleyEvent: Extract = (data) => {
  const event = JSON.parse(data) as { type: string; text?: string; index?: number; seq?: number; code?: string };
  if (event.type === 'error') throw new Error(`stream error ${event.code ?? ''}`);
  if (event.type === 'token') return { text: event.text ?? '', index: event.index, seq: event.seq };
  if (event.type === 'message.completed') return { seq: event.seq, done: true };
  return { seq: event.seq };
};
