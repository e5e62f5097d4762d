import { UNANSWERED_FAILURE_KINDS } from '@hookline/contracts';
import { decideRetry } from './decide-retry';
import { inChain, refused, succeeded, unanswered } from './outcome.fixtures';
import { DEFAULT_RETRY_POLICY, DEFAULT_SCHEDULE_MS, type RetryPolicy } from './schedule';

const middle = () => 0.5;

describe(decideRetry.name, () => {
  it('is done after a success, whatever the attempt number', () => {
    for (const attempt of [1, 5, 11, 99]) expect(decideRetry(succeeded(attempt), DEFAULT_RETRY_POLICY, middle)).toEqual({ action: 'done' });
  });

  it('follows the default schedule: 5 s, 30 s, 2 m, 5 m, 30 m, 1 h, 2 h, 4 h, 8 h, 8 h, then dead after 11 attempts', () => {
    const delays = DEFAULT_SCHEDULE_MS.map((_, i) => decideRetry(refused(i + 1, 500), DEFAULT_RETRY_POLICY, middle));
    expect(delays.map((d) => (d.action === 'retry' ? d.delayMs / 1000 : d.action))).toEqual([5, 30, 120, 300, 1800, 3600, 7200, 14400, 28800, 28800]);
    expect(delays.map((d) => (d.action === 'retry' ? d.nextAttempt : 0))).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(decideRetry(refused(11, 500), DEFAULT_RETRY_POLICY, middle)).toEqual({ action: 'dead', reason: 'all 11 attempts failed' });
    const hours = DEFAULT_SCHEDULE_MS.reduce((a, b) => a + b, 0) / 3_600_000;
    expect(hours).toBeGreaterThan(23);
    expect(hours).toBeLessThan(25);
  });

  it('jitters by at most ±20 % with the default policy, reaching both ends', () => {
    expect(decideRetry(refused(2, 500), DEFAULT_RETRY_POLICY, () => 0)).toMatchObject({ delayMs: 24_000 });
    expect(decideRetry(refused(2, 500), DEFAULT_RETRY_POLICY, () => 0.999999)).toMatchObject({ delayMs: 36_000 });
  });

  it('follows a policy of its own: schedule and jitter', () => {
    const policy: RetryPolicy = { schedule: [1000, 2000], jitter: 0 };
    expect(decideRetry(refused(1, 500), policy, () => 0.9)).toEqual({ action: 'retry', nextAttempt: 2, delayMs: 1000 });
    expect(decideRetry(refused(2, 500), policy, () => 0.1)).toEqual({ action: 'retry', nextAttempt: 3, delayMs: 2000 });
    expect(decideRetry(refused(3, 500), policy, middle)).toEqual({ action: 'dead', reason: 'all 3 attempts failed' });
  });

  it('gives up at once with an empty schedule: one attempt only', () => {
    expect(decideRetry(refused(1, 500), { schedule: [], jitter: 0.2 }, middle)).toEqual({ action: 'dead', reason: 'all 1 attempts failed' });
  });

  it.each([
    ['a Retry-After within [d, 2d] is honoured', 45, 45_000],
    ['a short Retry-After is raised to the scheduled delay', 1, 30_000],
    ['a Retry-After of 0 is raised to the scheduled delay', 0, 30_000],
    ['a long Retry-After is clamped to twice the delay', 3600, 60_000],
  ])('%s', (_name, retryAfterSeconds, expected) => {
    expect(decideRetry(refused(2, 429, retryAfterSeconds), DEFAULT_RETRY_POLICY, middle)).toEqual({ action: 'retry', nextAttempt: 3, delayMs: expected });
  });

  it.each([301, 302, 400, 404, 429, 500, 502, 503, 504])('retries a %i like any failure', (status) => {
    expect(decideRetry(refused(1, status), DEFAULT_RETRY_POLICY, middle)).toEqual({ action: 'retry', nextAttempt: 2, delayMs: 5000 });
  });

  it.each(UNANSWERED_FAILURE_KINDS.filter((k) => k !== 'endpoint_missing' && k !== 'endpoint_disabled'))('retries an unanswered attempt (%s)', (kind) => {
    expect(decideRetry(unanswered(1, kind), DEFAULT_RETRY_POLICY, middle)).toEqual({ action: 'retry', nextAttempt: 2, delayMs: 5000 });
  });

  it.each([
    ['410 Gone', refused(1, 410), 'the endpoint answered 410 Gone'],
    ['410 Gone with a Retry-After', refused(4, 410, 60), 'the endpoint answered 410 Gone'],
    ['a deleted endpoint', unanswered(1, 'endpoint_missing'), 'the endpoint was deleted'],
    ['a disabled endpoint', unanswered(3, 'endpoint_disabled'), 'the endpoint is disabled'],
  ])('gives up at once on %s', (_name, outcome, reason) => {
    expect(decideRetry(outcome, DEFAULT_RETRY_POLICY, middle)).toEqual({ action: 'dead', reason });
  });

  describe('a replayed chain', () => {
    const policy: RetryPolicy = { schedule: [1000, 2000], jitter: 0 };

    it('gets the whole schedule again, counted from the attempt it started at', () => {
      // The first chain died after attempts 1-3; the replay starts at attempt 4.
      expect(decideRetry(refused(3, 500), policy, middle)).toEqual({ action: 'dead', reason: 'all 3 attempts failed' });
      expect(decideRetry(inChain(refused(4, 500), 4), policy, middle)).toEqual({ action: 'retry', nextAttempt: 5, delayMs: 1000 });
      expect(decideRetry(inChain(refused(5, 500), 4), policy, middle)).toEqual({ action: 'retry', nextAttempt: 6, delayMs: 2000 });
      expect(decideRetry(inChain(refused(6, 500), 4), policy, middle)).toEqual({ action: 'dead', reason: 'all 3 attempts failed' });
    });

    it('would be dead at once if counted from attempt 1 (the default)', () => {
      expect(decideRetry(refused(12, 500), DEFAULT_RETRY_POLICY, middle)).toMatchObject({ action: 'dead' });
      expect(decideRetry(inChain(refused(12, 500), 12), DEFAULT_RETRY_POLICY, middle)).toEqual({ action: 'retry', nextAttempt: 13, delayMs: 5000 });
    });

    it("treats a chain start past the attempt as the chain's first attempt", () => {
      expect(decideRetry(inChain(refused(2, 500), 9), policy, middle)).toEqual({ action: 'retry', nextAttempt: 3, delayMs: 1000 });
    });

    it('still ends at once on 410 Gone and is done on a success', () => {
      expect(decideRetry(inChain(refused(7, 410), 7), policy, middle)).toEqual({ action: 'dead', reason: 'the endpoint answered 410 Gone' });
      expect(decideRetry(inChain(succeeded(7), 7), policy, middle)).toEqual({ action: 'done' });
    });
  });
});
