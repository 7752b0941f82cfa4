import { describe, expect, it } from 'vitest';
import { toSseFrame, type ChatStreamEvent } from '../chat/chat-stream-event';
import { MAX_SSE_LINE_CHARS, SseLineTooLongError, SseParser, type SseEvent } from './sse-parser';

function parse(chunks: (string | Uint8Array)[]): SseEvent[] {
  const events: SseEvent[] = [];
  const parser = new SseParser((e) => events.push(e));
  for (const chunk of chunks) parser.push(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk);
  parser.end();
  return events;
}

const CONVERSATION = '0b8f3c2e-1a2b-4c3d-8e4f-5a6b7c8d9e0f';
const MESSAGE = '1c9f3c2e-1a2b-4c3d-8e4f-5a6b7c8d9e0f';

describe('SseParser', () => {
  it('reads the frames toSseFrame writes, whatever the chunk boundaries (every split point)', () => {
    const events: ChatStreamEvent[] = [
      { type: 'token', conversationId: CONVERSATION, messageId: MESSAGE, seq: 1, index: 0, text: 'héllo 👋\nworld' },
      {
        type: 'error',
        conversationId: null,
        messageId: null,
        seq: null,
        code: 'x',
        message: 'm',
        requestId: null,
        partial: false,
      },
    ];
    const bytes = Buffer.from(events.map(toSseFrame).join(''), 'utf8');
    for (let split = 0; split <= bytes.length; split += 1) {
      const parsed = parse([bytes.subarray(0, split), bytes.subarray(split)]);
      expect(
        parsed.map((e) => [e.type, JSON.parse(e.data) as unknown]),
        `split at ${split}`,
      ).toEqual(events.map((e) => [e.type, e]));
    }
    const oneByteAtATime = parse([...bytes].map((b) => Uint8Array.of(b)));
    expect(oneByteAtATime.map((e) => e.lastEventId)).toEqual(['1', '1']); // the id persists; seq null sets none
  });

  it('accepts CRLF, LF and CR line ends, also a CRLF split across chunks', () => {
    expect(parse(['data: a\r\n\r\ndata: b\n\ndata: c\r\rdata: d\r', '\n\r', '\n']).map((e) => e.data)).toEqual([
      'a',
      'b',
      'c',
      'd',
    ]);
  });

  it('joins data lines with \\n, drops one leading space only, skips comments and unknown fields', () => {
    const [event] = parse([': keep-alive\nevent:token\ndata:  two spaces\ndata\nretry: 10\nfoo: bar\ndata: end\n\n']);
    expect(event).toEqual({ type: 'token', data: ' two spaces\n\nend', lastEventId: '' });
  });

  it('dispatches nothing for an event without data, and resets its type', () => {
    expect(parse(['event: token\n\ndata: x\n\n'])).toEqual([{ type: 'message', data: 'x', lastEventId: '' }]);
  });

  it('keeps the last event id, ignoring an id with a NUL', () => {
    expect(parse(['id: 7\ndata: a\n\nid: 8\u0000\ndata: b\n\n']).map((e) => e.lastEventId)).toEqual(['7', '7']);
  });

  it('drops a BOM at the start and turns invalid UTF-8 into U+FFFD', () => {
    const bom = Uint8Array.of(0xef, 0xbb, 0xbf);
    expect(parse([bom, 'data: x\n\n'])[0]?.data).toBe('x');
    expect(parse([Uint8Array.of(0x64, 0x61, 0x74, 0x61, 0x3a, 0xff, 0x0a, 0x0a)])[0]?.data).toBe('\ufffd');
  });

  it('discards an event the stream ended in the middle of', () => {
    expect(parse(['data: complete\n\ndata: cut'])).toHaveLength(1);
    expect(parse(['data: cut\n'])).toEqual([]);
  });

  it('refuses an endless line or event instead of buffering it', () => {
    const parser = new SseParser(() => undefined);
    expect(() => parser.push(Buffer.from(`data: ${'x'.repeat(MAX_SSE_LINE_CHARS)}`))).toThrow(SseLineTooLongError);
    const many = new SseParser(() => undefined);
    const line = `data: ${'y'.repeat(1000)}\n`;
    expect(() => {
      for (let i = 0; i < 2000; i += 1) many.push(Buffer.from(line));
    }).toThrow(SseLineTooLongError);
  });
});
