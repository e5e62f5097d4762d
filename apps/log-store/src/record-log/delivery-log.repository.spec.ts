import { jsonb, text } from './delivery-log.repository';

describe('values PostgreSQL would refuse (regression: one NUL jammed a log batch)', () => {
  it('replaces \\u0000 escapes in JSON but keeps an escaped backslash followed by "u0000"', () => {
    const value = { a: 'x\u0000y', b: '\\u0000', c: '\\\u0000', ['k\u0000']: 1 };
    const stored = JSON.parse(jsonb(value));
    expect(stored).toEqual({ a: 'x\ufffdy', b: '\\u0000', c: '\\\ufffd', ['k\ufffd']: 1 });
    expect(jsonb(value)).not.toMatch(/(?<!\\)(\\\\)*\\u0000/);
  });

  it('replaces NUL in text', () => {
    expect(text('ok\u0000ok')).toBe('ok\ufffdok');
  });
});
