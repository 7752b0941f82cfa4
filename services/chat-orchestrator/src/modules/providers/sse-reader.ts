/** One dispatched server-sent event. */
export interface SseEvent {
  /** The `event:` field, or 'message' when none was given. */
  event: string;
  /** The `data:` lines joined by "\n". */
  data: string;
  /** The last event id seen so far in the stream ('' if none). */
  id: string;
}

/**
 * Incremental `text/event-stream` parser, as the HTML standard specifies it
 * (https://html.spec.whatwg.org/multipage/server-sent-events.html#event-stream-interpretation):
 * lines end with CRLF, LF or CR (also when a CRLF is split across chunks); `:` starts a comment;
 * one space after the field's colon is stripped; `data` lines are joined with "\n"; a blank line
 * dispatches (nothing when no data was given); an unterminated event at the end is discarded.
 * Bytes are decoded as UTF-8 with a streaming decoder, so a character split across chunks is intact.
 */
export class SseReader {
  private readonly decoder = new TextDecoder('utf-8');
  private pending = '';
  /** The previous chunk ended with CR: a LF starting the next one belongs to it. */
  private skipLf = false;
  private eventType = '';
  private data = '';
  private hasData = false;
  private lastId = '';
  /** The last `retry:` value (ms), if any. */
  retryMs: number | null = null;

  /** Feeds bytes; returns the events completed by them. */
  push(chunk: Uint8Array): SseEvent[] {
    return this.feed(this.decoder.decode(chunk, { stream: true }));
  }

  /** The end of the stream: flushes the decoder; a partial line or event is discarded. */
  end(): SseEvent[] {
    const events = this.feed(this.decoder.decode());
    this.pending = '';
    this.data = '';
    this.hasData = false;
    this.eventType = '';
    return events;
  }

  private feed(text: string): SseEvent[] {
    const events: SseEvent[] = [];
    if (text.length === 0) return events;
    let buffer = this.pending + text;
    let pos = 0;
    if (this.skipLf) {
      this.skipLf = false;
      if (buffer.charCodeAt(0) === 10) pos = 1;
    }
    const length = buffer.length;
    let nl = buffer.indexOf('\n', pos);
    let cr = buffer.indexOf('\r', pos);
    for (;;) {
      if (nl !== -1 && nl < pos) nl = buffer.indexOf('\n', pos);
      if (cr !== -1 && cr < pos) cr = buffer.indexOf('\r', pos);
      const end = nl === -1 ? cr : cr === -1 ? nl : Math.min(nl, cr);
      if (end === -1) break;
      const line = buffer.slice(pos, end);
      if (end === cr) {
        if (end + 1 < length) pos = nl === end + 1 ? end + 2 : end + 1;
        else {
          pos = end + 1;
          this.skipLf = true;
        }
      } else pos = end + 1;
      const event = this.line(line);
      if (event) events.push(event);
    }
    buffer = pos >= length ? '' : buffer.slice(pos);
    this.pending = buffer;
    return events;
  }

  private line(line: string): SseEvent | null {
    if (line.length === 0) return this.dispatch();
    const colon = line.indexOf(':');
    if (colon === 0) return null;
    let field: string;
    let value: string;
    if (colon === -1) {
      field = line;
      value = '';
    } else {
      field = line.slice(0, colon);
      value = line.charCodeAt(colon + 1) === 32 ? line.slice(colon + 2) : line.slice(colon + 1);
    }
    switch (field) {
      case 'event':
        this.eventType = value;
        break;
      case 'data':
        this.data = this.hasData ? `${this.data}\n${value}` : value;
        this.hasData = true;
        break;
      case 'id':
        if (!value.includes('\0')) this.lastId = value;
        break;
      case 'retry':
        if (/^\d+$/.test(value)) this.retryMs = Number(value);
        break;
      default:
        break;
    }
    return null;
  }

  private dispatch(): SseEvent | null {
    const event = this.hasData ? { event: this.eventType || 'message', data: this.data, id: this.lastId } : null;
    this.eventType = '';
    this.data = '';
    this.hasData = false;
    return event;
  }
}
