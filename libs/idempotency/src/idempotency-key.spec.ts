import { checkIdempotencyKey } from './idempotency-key';

describe(checkIdempotencyKey.name, () => {
  it.each([
    ['a UUID', '0f8fad5b-d9cb-469f-a165-70867728950e'],
    ['one character', 'k'],
    ['255 characters', 'k'.repeat(255)],
    ['every printable ASCII character', Array.from({ length: 0x7f - 0x20 }, (_, i) => String.fromCharCode(0x20 + i)).join('')],
  ])('accepts %s', (_what, key) => {
    expect(checkIdempotencyKey([key])).toEqual({ ok: true, key });
  });

  it.each([
    ['an empty value', [''], /^must not be empty$/],
    ['256 characters', ['k'.repeat(256)], /^must be at most 255 characters \(got 256\)$/],
    ['a non-ASCII character', ['clé'], /^must be printable ASCII/],
    ['a control character', ['a\tb'], /printable ASCII/],
    ['DEL', ['a\x7fb'], /printable ASCII/],
    ['the header sent twice', ['a', 'b'], /^send the header once \(got 2\)$/],
  ])('refuses %s, naming the rule', (_what, values, rule) => {
    const check = checkIdempotencyKey(values);
    expect(check.ok).toBe(false);
    expect(!check.ok && check.rule).toMatch(rule);
  });
});
