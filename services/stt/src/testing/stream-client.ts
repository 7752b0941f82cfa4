import { WebSocket } from 'ws';
import type { SttServerMessage } from '@parley/contracts';
import { waitFor } from '@parley/testing';

/** A test client of the stt streaming endpoint (or the gateway's /ws): every message it heard, in order. */
export class StreamClient {
  readonly messages: SttServerMessage[] = [];
  /** How many messages had arrived when the last audio frame was sent. */
  heardBeforeLastFrame = 0;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data: Buffer, isBinary) => {
      if (!isBinary) this.messages.push(JSON.parse(data.toString('utf8')) as SttServerMessage);
    });
  }

  static open(url: string, headers: Record<string, string> = {}, protocols?: string[]): Promise<StreamClient> {
    const ws = new WebSocket(url, protocols, { headers });
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(new StreamClient(ws)));
      ws.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)));
      ws.once('error', reject);
    });
  }

  json(message: Record<string, unknown>): void {
    this.ws.send(JSON.stringify(message));
  }

  /** Sends 16 kHz s16le PCM in 100 ms frames at real time (or `speed` times faster). */
  async audio(pcm: Buffer, speed = 1): Promise<void> {
    const frame = 3200;
    for (let at = 0; at < pcm.length; at += frame) {
      if (at + frame >= pcm.length) this.heardBeforeLastFrame = this.messages.length;
      this.ws.send(pcm.subarray(at, at + frame), { binary: true });
      await new Promise((resolve) => setTimeout(resolve, 100 / speed));
    }
  }

  of<T extends SttServerMessage['type']>(type: T): Extract<SttServerMessage, { type: T }>[] {
    return this.messages.filter((m): m is Extract<SttServerMessage, { type: T }> => m.type === type);
  }

  async next<T extends SttServerMessage['type']>(type: T, count = 1, timeoutMs = 60_000) {
    await waitFor(() => this.of(type).length >= count, { timeoutMs, what: `${count} × ${type}` });
    return this.of(type)[count - 1] as Extract<SttServerMessage, { type: T }>;
  }

  close(): void {
    this.ws.close();
  }
}

/** Lower case, letters, digits and spaces only: two transcripts compared as words. */
export function words(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}' ]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}
