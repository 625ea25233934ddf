/**
 * An incremental parser of a text/event-stream (the WHATWG HTML "server-sent events" format),
 * for clients that read the stream with fetch() instead of EventSource (which cannot send an
 * Authorization header). Feed it decoded text in whatever pieces the network delivers; it calls
 * back once per complete event. Pure: no DOM, no Node.
 *
 * Handled as the standard says: lines end in LF, CRLF or CR (a CRLF split across two pieces
 * too); `field: value` with one optional space after the colon; `data` lines joined by LF;
 * comment lines (starting with ':') and unknown fields ignored; an event is dispatched at a
 * blank line, and not at all when it had no data line; the type defaults to "message".
 */
export interface SseEvent {
  event: string;
  data: string;
  /** the last `id:` seen (the stream's, not only this event's), '' when none */
  lastEventId: string;
}

export class SseParser {
  private buffer = '';
  private isAfterCr = false;
  private eventType = '';
  private data: string[] = [];
  private hasData = false;
  private lastEventId = '';

  constructor(
    private readonly onEvent: (event: SseEvent) => void,
    /** comment lines (a heartbeat), without the leading ':' */
    private readonly onComment?: (text: string) => void,
  ) {}

  /** Parses `text`; complete events are passed to the callback before this returns. */
  push(text: string): void {
    let start = 0;
    for (let i = 0; i < text.length; i++) {
      const ch = text.charCodeAt(i);
      if (ch === 10 /* LF */) {
        if (this.isAfterCr && i === start && this.buffer === '') {
          // the LF of a CRLF whose CR ended the previous piece or line
          this.isAfterCr = false;
          start = i + 1;
          continue;
        }
        this.line(this.buffer + text.slice(start, i));
        this.buffer = '';
        this.isAfterCr = false;
        start = i + 1;
      } else if (ch === 13 /* CR */) {
        this.line(this.buffer + text.slice(start, i));
        this.buffer = '';
        this.isAfterCr = true;
        start = i + 1;
      } else if (this.isAfterCr) {
        this.isAfterCr = false;
      }
    }
    this.buffer += text.slice(start);
  }

  private line(line: string): void {
    if (line === '') return this.dispatch();
    if (line.charCodeAt(0) === 58 /* ':' comment */) return this.onComment?.(line.slice(1).trimStart());
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.charCodeAt(0) === 32) value = value.slice(1);
    if (field === 'event') this.eventType = value;
    else if (field === 'data') {
      this.data.push(value);
      this.hasData = true;
    } else if (field === 'id' && !value.includes('\u0000')) this.lastEventId = value;
    // 'retry' and unknown fields: nothing to do for a fetch() reader
  }

  private dispatch(): void {
    const event = { event: this.eventType || 'message', data: this.data.join('\n'), lastEventId: this.lastEventId };
    const hasData = this.hasData;
    this.eventType = '';
    this.data = [];
    this.hasData = false;
    if (hasData) this.onEvent(event);
  }
}
