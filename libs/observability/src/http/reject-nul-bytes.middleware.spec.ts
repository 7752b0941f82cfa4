import { describe, expect, it } from 'vitest';
import type { Request, Response } from 'express';
import { rejectNulBytes } from './reject-nul-bytes.middleware';

function run(body: unknown, url = '/x'): unknown {
  let passed: unknown = 'not called';
  rejectNulBytes({ body, url } as Request, {} as Response, (error?: unknown) => {
    passed = error;
  });
  return passed;
}

describe('rejectNulBytes', () => {
  it('passes clean input', () => {
    expect(run({ a: ['b', { c: 'd' }], n: 1 })).toBeUndefined();
  });
  it.each([[{ a: 'x\u0000' }], [{ 'k\u0000': 1 }], [[{ deep: ['\u0000'] }]]])('refuses %j', (body) => {
    expect(run(body)).toMatchObject({ code: 'validation_failed' });
  });
  it('refuses an encoded NUL in the URL', () => {
    expect(run(undefined, '/x?q=%00')).toMatchObject({ code: 'validation_failed' });
  });
});
