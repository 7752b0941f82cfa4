/**
 * The `text/event-stream` reader every service uses: the gateway relaying the orchestrator's chat
 * stream (its writer is `toSseFrame`), the orchestrator reading Anthropic's and OpenAI's streams.
 */

/** One dispatched Server-Sent Event. */
export interface SseEvent {
  /** The `event` field, or `message` when the event named none. */
  type: string;
  /** The `data` lines joined by `\n`. */
  data: string;
  /** The last event id seen so far on the stream (the `id` field persists across events). */
  lastEventId: string;
}

/** A line, or an event's data, longer than this is refused rather than buffered on. */
export const MAX_SSE_LINE_CHARS = 1024 * 1024;

export class SseLineTooLongError extends Error {
  override readonly name = 'SseLineTooLongError';
}

/**
 * An incremental `text/event-stream` parser per the WHATWG HTML "event stream interpretation":
 * bytes are decoded as UTF-8 with a streaming decoder (a character split across chunks is kept
 * whole; a leading BOM is dropped; invalid bytes become U+FFFD); lines end with CRLF, LF or CR (a
 * CRLF split across chunks is one line end); `:` lines are comments; a field's value loses one
 * leading space; `data` lines accumulate, `event` names the type, `id` (without NUL) sets the last
 * event id, `retry` (digits only) is kept in `retryMs`, unknown fields are ignored; an empty line dispatches the event unless it
 * has no data. An event still open when the stream ends is discarded, as the spec says.
 */
export class SseParser {
  private readonly decoder = new TextDecoder('utf-8');
  private pending = '';
  private skipLeadingLf = false;
  private data: string[] = [];
  private dataChars = 0;
  private type = '';
  private lastEventId = '';
  /** The last valid `retry` field (milliseconds), or null. */
  retryMs: number | null = null;

  constructor(private readonly dispatch: (event: SseEvent) => void) {}

  /** Feeds a chunk of the body; dispatches every event it completes, in order. */
  push(chunk: Uint8Array): void {
    this.feed(this.decoder.decode(chunk, { stream: true }));
  }

  /** The body ended: flushes the decoder and the last line (an unterminated event is dropped). */
  end(): void {
    this.feed(this.decoder.decode());
    if (this.pending.length > 0) {
      this.line(this.pending);
      this.pending = '';
    }
  }

  private feed(text: string): void {
    let start = 0;
    if (this.skipLeadingLf && text.length > 0) {
      this.skipLeadingLf = false;
      if (text.charCodeAt(0) === 0x0a) start = 1;
    }
    let buffered = this.pending;
    for (let i = start; i < text.length; i += 1) {
      const code = text.charCodeAt(i);
      if (code !== 0x0a && code !== 0x0d) continue;
      this.line(buffered + text.slice(start, i));
      buffered = '';
      if (code === 0x0d) {
        if (i + 1 === text.length) this.skipLeadingLf = true;
        else if (text.charCodeAt(i + 1) === 0x0a) i += 1;
      }
      start = i + 1;
    }
    this.pending = buffered + text.slice(start);
    if (this.pending.length > MAX_SSE_LINE_CHARS) {
      throw new SseLineTooLongError(`An event-stream line exceeds ${MAX_SSE_LINE_CHARS} characters`);
    }
  }

  private line(line: string): void {
    if (line.length === 0) {
      this.flush();
      return;
    }
    if (line.charCodeAt(0) === 0x3a) return; // ':' comment (keep-alive)
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.charCodeAt(0) === 0x20) value = value.slice(1);
    switch (field) {
      case 'event':
        this.type = value;
        return;
      case 'data':
        this.dataChars += value.length + 1;
        if (this.dataChars > MAX_SSE_LINE_CHARS) {
          throw new SseLineTooLongError(`An event's data exceeds ${MAX_SSE_LINE_CHARS} characters`);
        }
        this.data.push(value);
        return;
      case 'id':
        if (!value.includes('\u0000')) this.lastEventId = value;
        return;
      case 'retry':
        if (/^\d+$/.test(value)) this.retryMs = Number(value);
        return;
      default:
        return; // unknown fields
    }
  }

  private flush(): void {
    const data = this.data;
    const type = this.type;
    this.data = [];
    this.dataChars = 0;
    this.type = '';
    if (data.length === 0) return;
    this.dispatch({ type: type === '' ? 'message' : type, data: data.join('\n'), lastEventId: this.lastEventId });
  }
}
