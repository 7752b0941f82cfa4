import { describe, expect, it } from 'vitest';
import { SseParser } from './sse-parser';

/** The events as the provider adapters' tests first described them. */
interface SseEvent {
  event: string;
  data: string;
  id: string;
}

const bytes = (text: string) => new TextEncoder().encode(text);

function readAll(parts: (string | Uint8Array)[]): SseEvent[] {
  const events: SseEvent[] = [];
  const parser = new SseParser((e) => events.push({ event: e.type, data: e.data, id: e.lastEventId }));
  for (const part of parts) parser.push(typeof part === 'string' ? bytes(part) : part);
  parser.end();
  return events;
}

/** Every way of cutting `text` in two, as bytes (so also inside multi-byte characters). */
function everySplit(text: string): Uint8Array[][] {
  const all = bytes(text);
  const splits: Uint8Array[][] = [];
  for (let i = 0; i <= all.length; i++) splits.push([all.subarray(0, i), all.subarray(i)]);
  return splits;
}

describe('SseParser, as the provider adapters read Anthropic and OpenAI streams', () => {
  it('reads event, data and id fields, and dispatches on a blank line', () => {
    expect(readAll(['event: message_start\ndata: {"a":1}\nid: 7\n\n'])).toEqual([
      { event: 'message_start', data: '{"a":1}', id: '7' },
    ]);
  });

  it("defaults the event type to 'message' and resets it after each event", () => {
    expect(readAll(['event: x\ndata: 1\n\ndata: 2\n\n'])).toEqual([
      { event: 'x', data: '1', id: '' },
      { event: 'message', data: '2', id: '' },
    ]);
  });

  it('joins multi-line data with LF', () => {
    expect(readAll(['data: one\ndata: two\ndata:\ndata: four\n\n'])[0]?.data).toBe('one\ntwo\n\nfour');
  });

  it('accepts CRLF, CR and LF line ends, mixed', () => {
    const events = readAll(['data: a\r\n\r\ndata: b\r\rdata: c\n\ndata: d\r\n\n']);
    expect(events.map((e) => e.data)).toEqual(['a', 'b', 'c', 'd']);
  });

  it('treats a CRLF split across chunks as one line end', () => {
    const events = readAll(['data: a\r', '\ndata: b\r', '\n\r', '\n']);
    expect(events).toEqual([{ event: 'message', data: 'a\nb', id: '' }]);
  });

  it('strips one space after the colon, not more', () => {
    expect(readAll(['data:  two spaces\n\n'])[0]?.data).toBe(' two spaces');
    expect(readAll(['data:none\n\n'])[0]?.data).toBe('none');
  });

  it('ignores comments and unknown fields, and reads a field without a colon as empty', () => {
    const events = readAll([': keep-alive\nfoo: bar\ndata\n\n:\n\n']);
    expect(events).toEqual([{ event: 'message', data: '', id: '' }]);
  });

  it('dispatches nothing for a blank line without data', () => {
    expect(readAll(['event: ping\n\n\n\n'])).toEqual([]);
  });

  it('keeps the last id across events and ignores an id with NUL', () => {
    const events = readAll(['id: 1\ndata: a\n\ndata: b\n\nid: x\0y\ndata: c\n\n']);
    expect(events.map((e) => e.id)).toEqual(['1', '1', '1']);
  });

  it('reads retry', () => {
    const parser = new SseParser(() => undefined);
    parser.push(bytes('retry: 1500\n\n'));
    expect(parser.retryMs).toBe(1500);
  });

  it('discards an unterminated event at the end of the stream', () => {
    expect(readAll(['data: done\n\ndata: cut'])).toEqual([{ event: 'message', data: 'done', id: '' }]);
    expect(readAll(['data: cut\n'])).toEqual([]);
  });

  it('strips a leading byte order mark', () => {
    expect(readAll([new Uint8Array([0xef, 0xbb, 0xbf]), 'data: x\n\n'])[0]?.data).toBe('x');
  });

  it('keeps multi-byte UTF-8 characters intact wherever the bytes are cut', () => {
    const text = 'data: {"text":"héllo 世界 🎉 ok"}\n\n';
    for (const parts of everySplit(text)) {
      expect(readAll(parts)).toEqual([{ event: 'message', data: '{"text":"héllo 世界 🎉 ok"}', id: '' }]);
    }
    const oneByteAtATime = Array.from(bytes(text), (b) => new Uint8Array([b]));
    expect(readAll(oneByteAtATime)[0]?.data).toBe('{"text":"héllo 世界 🎉 ok"}');
  });

  it('reads the same events from a real stream however it is chunked', () => {
    const stream =
      'event: message_start\r\ndata: {"type":"message_start"}\r\n\r\n' +
      'event: ping\ndata: {"type": "ping"}\n\n' +
      ': comment\n' +
      'event: content_block_delta\ndata: {"type":"content_block_delta","delta":{"text":"Ünïcødé ✓"}}\n\n' +
      'event: message_stop\rdata: {"type":"message_stop"}\r\r';
    const whole = readAll([stream]);
    expect(whole.map((e) => e.event)).toEqual(['message_start', 'ping', 'content_block_delta', 'message_stop']);
    for (const size of [1, 2, 3, 5, 7, 16]) {
      const all = bytes(stream);
      const parts: Uint8Array[] = [];
      for (let i = 0; i < all.length; i += size) parts.push(all.subarray(i, i + size));
      expect(readAll(parts)).toEqual(whole);
    }
  });
});
