import fc from 'fast-check';
import { DEFERRAL_MIN_MS, DEFERRAL_SPREAD_MS, deferralDelayMs, shouldDefer, SLOW_ATTEMPT_MS } from './deferral';

describe(shouldDefer.name, () => {
  it.each([
    [{ queued: 200, queueLimit: 200, oldestActiveMs: 1_000 }, true],
    [{ queued: 500, queueLimit: 200, oldestActiveMs: 30_000 }, true],
    [{ queued: 199, queueLimit: 200, oldestActiveMs: 30_000 }, false], // slow but not backed up: queue
    [{ queued: 5_000, queueLimit: 200, oldestActiveMs: 999 }, false], // backed up but fast: a burst, queue
    [{ queued: 0, queueLimit: 0, oldestActiveMs: 0 }, false],
  ])('%j → %s', (endpoint, expected) => {
    expect(shouldDefer(endpoint)).toBe(expected);
  });

  it('defers exactly when the endpoint is both backed up and slow', () => {
    fc.assert(
      fc.property(fc.nat(10_000), fc.nat(10_000), fc.nat(60_000), (queued, queueLimit, oldestActiveMs) => {
        return shouldDefer({ queued, queueLimit, oldestActiveMs }) === (queued >= queueLimit && oldestActiveMs >= SLOW_ATTEMPT_MS);
      }),
    );
  });
});

describe(deferralDelayMs.name, () => {
  it('waits 2 s to just under 5 s, in whole milliseconds, reaching both ends', () => {
    expect(deferralDelayMs(() => 0)).toBe(2_000);
    expect(deferralDelayMs(() => 0.999999)).toBe(4_999);
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (r) => {
        const delay = deferralDelayMs(() => r);
        return Number.isInteger(delay) && delay >= DEFERRAL_MIN_MS && delay < DEFERRAL_MIN_MS + DEFERRAL_SPREAD_MS;
      }),
    );
  });
});
