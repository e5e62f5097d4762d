import fc from 'fast-check';
import { parseRetryAfter, retryAfterOf } from './retry-after';

const now = new Date('2026-11-22T10:00:00Z');

describe(parseRetryAfter.name, () => {
  it.each([
    ['120', 120],
    [' 7 ', 7],
    ['0', 0],
    ['Sun, 22 Nov 2026 10:01:30 GMT', 90],
    ['Sun, 22 Nov 2026 10:00:00.400 GMT', 1], // a date part-way into a second rounds up
    ['Sat, 21 Nov 2026 10:00:00 GMT', 0], // in the past
  ])('reads %j as %i seconds', (value, seconds) => {
    expect(parseRetryAfter(value, now)).toBe(seconds);
  });

  // Regression: Date.parse read "-5" and "1.5" as dates in the past, so they counted as "retry now".
  it.each([undefined, '', 'soon', '-5', '1.5', '12abc', '2026-11-22T10:05:00Z'])('has nothing to honour in %j', (value) => {
    expect(parseRetryAfter(value, now)).toBeNull();
  });

  it('reads any delta-seconds back as itself', () => {
    fc.assert(fc.property(fc.nat(), (seconds) => parseRetryAfter(String(seconds), now) === seconds));
  });

  it('never returns a negative or fractional number, whatever the header says', () => {
    fc.assert(
      fc.property(fc.string(), (value) => {
        const seconds = parseRetryAfter(value, now);
        return seconds === null || (Number.isInteger(seconds) && seconds >= 0);
      }),
      { numRuns: 5_000 },
    );
  });
});

describe(retryAfterOf.name, () => {
  it('honours Retry-After on 429 and 503 only', () => {
    const answer = (status: number) => retryAfterOf({ status, headers: { 'retry-after': '120' } }, now);
    expect(answer(429)).toBe(120);
    expect(answer(503)).toBe(120);
    for (const status of [200, 301, 410, 500, 502]) expect(answer(status)).toBeNull();
  });
});
