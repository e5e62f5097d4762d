import type { AttemptOutcome } from '@hookline/contracts';
import { DEFAULT_SCHEDULE_MS, decideRetry, parseSchedule } from './retry-delay';

const failure = (attempt: number, extra: Partial<AttemptOutcome> = {}) => ({
  attempt,
  succeeded: false,
  failure: { kind: 'http_status' as const, message: 'endpoint answered 500' },
  response: { status: 500, headers: {}, body: '', bodyTruncated: false },
  retryAfterSeconds: null,
  ...extra,
});
const middle = () => 0.5;

describe(decideRetry.name, () => {
  it('is done after a success', () => {
    expect(decideRetry({ ...failure(1), succeeded: true, failure: null }, DEFAULT_SCHEDULE_MS, middle)).toEqual({ action: 'done' });
  });

  it('follows the default schedule: 5 s, 30 s, 2 m, 5 m, 30 m, 1 h, 2 h, 4 h, 8 h, 8 h, then dead', () => {
    const delays = DEFAULT_SCHEDULE_MS.map((_, i) => decideRetry(failure(i + 1), DEFAULT_SCHEDULE_MS, middle));
    expect(delays.map((d) => (d.action === 'retry' ? d.delayMs / 1000 : d.action))).toEqual([5, 30, 120, 300, 1800, 3600, 7200, 14400, 28800, 28800]);
    expect(delays.map((d) => (d.action === 'retry' ? d.nextAttempt : 0))).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(decideRetry(failure(11), DEFAULT_SCHEDULE_MS, middle)).toEqual({ action: 'dead', reason: 'all 11 attempts failed' });
    const total = DEFAULT_SCHEDULE_MS.reduce((a, b) => a + b, 0) / 3_600_000;
    expect(total).toBeGreaterThan(23);
    expect(total).toBeLessThan(25);
  });

  it('jitters by at most ±20 %', () => {
    const low = decideRetry(failure(2), DEFAULT_SCHEDULE_MS, () => 0);
    const high = decideRetry(failure(2), DEFAULT_SCHEDULE_MS, () => 0.999999);
    expect(low).toMatchObject({ delayMs: 24_000 });
    expect(high).toMatchObject({ delayMs: 36_000 });
  });

  it.each([
    ['a Retry-After within [d, 2d] is honoured', 45, 45_000],
    ['a short Retry-After is raised to the scheduled delay', 1, 30_000],
    ['a long Retry-After is clamped to twice the delay', 3600, 60_000],
  ])('%s', (_name, retryAfterSeconds, expected) => {
    const outcome = failure(2, { response: { status: 429, headers: {}, body: '', bodyTruncated: false }, retryAfterSeconds });
    expect(decideRetry(outcome, DEFAULT_SCHEDULE_MS, middle)).toEqual({ action: 'retry', nextAttempt: 3, delayMs: expected });
  });

  it('retries timeouts and network errors like any failure', () => {
    for (const kind of ['timeout', 'network', 'target_refused'] as const) {
      expect(decideRetry(failure(1, { failure: { kind, message: '' }, response: null }), DEFAULT_SCHEDULE_MS, middle)).toMatchObject({
        action: 'retry',
        delayMs: 5000,
      });
    }
  });

  it.each([
    ['410 Gone', failure(1, { response: { status: 410, headers: {}, body: '', bodyTruncated: false } }), 'the endpoint answered 410 Gone'],
    ['a deleted endpoint', failure(1, { failure: { kind: 'endpoint_missing', message: '' }, response: null }), 'the endpoint was deleted'],
    ['a disabled endpoint', failure(3, { failure: { kind: 'endpoint_disabled', message: '' }, response: null }), 'the endpoint is disabled'],
  ])('gives up at once on %s', (_name, outcome, reason) => {
    expect(decideRetry(outcome, DEFAULT_SCHEDULE_MS, middle)).toEqual({ action: 'dead', reason });
  });
});

describe(parseSchedule.name, () => {
  it('reads units', () => {
    expect(parseSchedule('500ms, 5s,2m,1h,250')).toEqual([500, 5000, 120_000, 3_600_000, 250]);
  });
  it('names the bad item', () => {
    expect(() => parseSchedule('5s,soon')).toThrow('item 2 ("soon")');
  });
});
