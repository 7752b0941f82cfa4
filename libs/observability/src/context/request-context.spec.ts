import { describe, expect, it } from 'vitest';
import { childTraceparent, RequestContext } from './request-context';

describe('RequestContext', () => {
  it('keeps a well-formed request id and replaces a hostile one', () => {
    expect(RequestContext.sanitizeRequestId('req-123')).toBe('req-123');
    const replaced = RequestContext.sanitizeRequestId('bad id\r\nSet-Cookie: x');
    expect(replaced).not.toContain('\n');
    expect(replaced).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('accepts a valid traceparent, rejects an all-zero one, and keeps the trace id for children', () => {
    const valid = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    expect(RequestContext.sanitizeTraceparent(valid)).toBe(valid);
    expect(RequestContext.sanitizeTraceparent('00-00000000000000000000000000000000-00f067aa0ba902b7-01')).not.toContain(
      '000000000000',
    );
    expect(childTraceparent(valid)).toMatch(/^00-4bf92f3577b34da6a3ce929d0e0e4736-[0-9a-f]{16}-01$/);
  });

  it('isolates concurrent contexts', async () => {
    const seen: string[] = [];
    await Promise.all(
      ['a', 'b'].map((id) =>
        RequestContext.run({ requestId: id, traceparent: childTraceparent('') }, async () => {
          await new Promise((r) => setTimeout(r, id === 'a' ? 10 : 1));
          seen.push(RequestContext.current()?.requestId ?? 'none');
        }),
      ),
    );
    expect(seen.sort()).toEqual(['a', 'b']);
    expect(RequestContext.current()).toBeUndefined();
  });
});
