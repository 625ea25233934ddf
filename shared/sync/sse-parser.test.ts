import { describe, expect, it } from 'vitest';
import { SseParser, type SseEvent } from './sse-parser';

function parse(pieces: readonly string[]): { events: SseEvent[]; comments: string[] } {
  const events: SseEvent[] = [];
  const comments: string[] = [];
  const parser = new SseParser((e) => events.push(e), (c) => comments.push(c));
  for (const piece of pieces) parser.push(piece);
  return { events, comments };
}

describe('SseParser', () => {
  it('reads named events, comments, and joins data lines', () => {
    const { events, comments } = parse(['retry: 5000\nevent: hello\ndata: {"heartbeatMs":20000}\n\n: heartbeat\n\nevent: changes\ndata: a\ndata:b\n\n']);
    expect(events).toEqual([
      { event: 'hello', data: '{"heartbeatMs":20000}', lastEventId: '' },
      { event: 'changes', data: 'a\nb', lastEventId: '' },
    ]);
    expect(comments).toEqual(['heartbeat']);
  });

  it('gives the same events however the text is cut, with LF, CRLF or CR line ends', () => {
    const text = 'event: changes\ndata: {}\n\nid: 7\ndata: x\n\n';
    const whole = parse([text]).events;
    expect(whole).toEqual([
      { event: 'changes', data: '{}', lastEventId: '' },
      { event: 'message', data: 'x', lastEventId: '7' },
    ]);
    for (const ending of ['\n', '\r\n', '\r']) {
      const variant = text.replaceAll('\n', ending);
      for (let cut = 0; cut <= variant.length; cut++) {
        expect(parse([variant.slice(0, cut), variant.slice(cut)]).events, `${JSON.stringify(ending)} cut at ${cut}`).toEqual(whole);
      }
      expect(parse([...variant]).events).toEqual(whole);
    }
  });

  it('dispatches nothing for an event without data, nor for an unfinished one', () => {
    expect(parse(['event: changes\n\n']).events).toEqual([]);
    expect(parse(['event: changes\ndata: {}\n']).events).toEqual([]);
    expect(parse(['data\n\n']).events).toEqual([{ event: 'message', data: '', lastEventId: '' }]);
  });
});
