import fc from 'fast-check';
import { defaultBurst, fullBucket, msUntilTokens, RateLimitInputSchema, refill, relimit } from './rate-limit';

const fifty = { perSecond: 50, burst: 50 };

describe('token bucket', () => {
  it('starts full, gives a token every 1 / perSecond once empty, and never holds more than the burst', () => {
    const start = fullBucket(fifty, 1_000);
    expect(start).toEqual({ tokens: 50, at: 1_000 });
    const empty = { tokens: 0, at: 1_000 };
    expect(refill(empty, fifty, 1_020)).toEqual({ tokens: 1, at: 1_020 });
    expect(refill(empty, fifty, 1_500)).toEqual({ tokens: 25, at: 1_500 });
    expect(refill(empty, fifty, 60_000)).toEqual({ tokens: 50, at: 60_000 });
  });

  it('ignores a clock that went back', () => {
    expect(refill({ tokens: 3, at: 1_000 }, fifty, 900)).toEqual({ tokens: 3, at: 1_000 });
  });

  it('says when the n-th request of a line gets its token', () => {
    const bucket = { tokens: 2.5, at: 0 };
    expect(msUntilTokens(bucket, fifty, 1)).toBe(0);
    expect(msUntilTokens(bucket, fifty, 3)).toBe(10);
    expect(msUntilTokens(bucket, fifty, 102.5)).toBe(2_000);
    expect(msUntilTokens({ tokens: 0, at: 0 }, { perSecond: 0.1, burst: 1 }, 1)).toBe(10_000);
  });

  it('keeps what it gained at the old rate when the limit changes, within the new burst', () => {
    const half = { tokens: 0, at: 0 };
    expect(relimit(half, fifty, { perSecond: 200, burst: 10 }, 100)).toEqual({ tokens: 5, at: 100 });
    expect(relimit(half, fifty, { perSecond: 1, burst: 1 }, 1_000)).toEqual({ tokens: 1, at: 1_000 });
  });

  it('starts a line of requests no faster than the rate after the burst, whatever the times they come at', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.01, max: 10_000, noNaN: true }),
        fc.integer({ min: 1, max: 100 }),
        fc.array(fc.integer({ min: 0, max: 5_000 }), { minLength: 1, maxLength: 200 }),
        (perSecond, burst, gaps) => {
          // Each request starts as soon as its token is there; count what started over the whole span.
          const limit = { perSecond, burst };
          let bucket = fullBucket(limit, 0);
          let now = 0;
          let started = 0;
          for (const gap of gaps) {
            now += gap;
            bucket = refill(bucket, limit, now);
            now += msUntilTokens(bucket, limit);
            bucket = refill(bucket, limit, now);
            bucket = { ...bucket, tokens: bucket.tokens - 1 };
            started++;
            if (bucket.tokens < -1e-6) return false;
          }
          return started <= burst + (now * perSecond) / 1000 + 1e-6;
        },
      ),
    );
  });
});

describe('RateLimitInputSchema', () => {
  it.each([
    [{ perSecond: 50 }, { perSecond: 50, burst: 50 }],
    [{ perSecond: 0.5 }, { perSecond: 0.5, burst: 1 }],
    [
      { perSecond: 2.5, burst: 10 },
      { perSecond: 2.5, burst: 10 },
    ],
    [null, null],
  ])('takes %j as %j', (input, expected) => {
    expect(RateLimitInputSchema.parse(input)).toEqual(expected);
  });

  it('defaults the burst to one second of requests, at least one', () => {
    expect([0.01, 1, 1.2, 50, 10_000].map(defaultBurst)).toEqual([1, 1, 2, 50, 10_000]);
  });

  it.each([
    [{ perSecond: 0 }, 'perSecond', 'must be a number from 0.01 to 10000'],
    [{ perSecond: 20_000 }, 'perSecond', 'must be a number from 0.01 to 10000'],
    [{ perSecond: '50' }, 'perSecond', 'must be a number from 0.01 to 10000'],
    [{}, 'perSecond', 'must be a number from 0.01 to 10000'],
    [{ perSecond: 5, burst: 0 }, 'burst', 'must be an integer from 1 to 10000'],
    [{ perSecond: 5, burst: 2.5 }, 'burst', 'must be an integer from 1 to 10000'],
    [{ perSecond: 5, per: 'minute' }, '', 'unknown field'],
    ['50/s', '', 'must be null or { perSecond, burst? }'],
  ])('refuses %j naming %s', (input, field, rule) => {
    const result = RateLimitInputSchema.safeParse(input);
    expect(result.success).toBe(false);
    const issues = result.error!.issues.map((i) => ({ field: i.path.join('.'), rule: i.code === 'unrecognized_keys' ? 'unknown field' : i.message }));
    expect(issues).toContainEqual({ field, rule: expect.stringContaining(rule) });
  });
});
