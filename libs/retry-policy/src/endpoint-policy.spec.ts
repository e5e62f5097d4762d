import { EndpointRetryPolicySchema, describeIssues } from '@hookline/contracts';
import fc from 'fast-check';
import { decideRetry } from './decide-retry';
import { MAX_RETRY_SPAN_MS, RetryPolicyInputSchema, retryPolicyView, retryScheduleOf } from './endpoint-policy';
import { refused } from './outcome.fixtures';
import { DEFAULT_RETRY_POLICY, formatDuration, parseDuration } from './schedule';

const issuesOf = (input: unknown) => {
  const result = RetryPolicyInputSchema.safeParse(input);
  if (result.success) throw new Error(`accepted ${JSON.stringify(input)}`);
  return describeIssues(result.error);
};

describe('RetryPolicyInputSchema', () => {
  it('reads a list of delays into milliseconds', () => {
    expect(RetryPolicyInputSchema.parse({ delays: ['1s', '5s', '30s', '5m', '30m', '2h'] })).toEqual({
      delaysMs: [1000, 5000, 30_000, 300_000, 1_800_000, 7_200_000],
    });
  });

  it('reads an empty list: one attempt, no retries', () => {
    expect(RetryPolicyInputSchema.parse({ delays: [] })).toEqual({ delaysMs: [] });
  });

  it('reads exponential parameters', () => {
    expect(RetryPolicyInputSchema.parse({ initial: '1s', factor: 2, maxDelay: '1h', attempts: 10 })).toEqual({
      initialMs: 1000,
      factor: 2,
      maxDelayMs: 3_600_000,
      attempts: 10,
    });
  });

  it('takes null as the default', () => {
    expect(RetryPolicyInputSchema.parse(null)).toBeNull();
  });

  it('produces what the endpoints topic accepts', () => {
    for (const input of [{ delays: ['1s'] }, { initial: '2s', factor: 1.5, maxDelay: '10m', attempts: 5 }]) {
      const policy = RetryPolicyInputSchema.parse(input);
      expect(EndpointRetryPolicySchema.parse(policy)).toEqual(policy);
    }
  });

  it.each([
    [{ delays: ['1s', '5s', 'soon'] }, 'retryPolicy.delays.2', 'must be a duration'],
    [{ delays: ['1s', '500ms'] }, 'retryPolicy.delays.1', 'from 1s'],
    [{ delays: ['1s', 5] }, 'retryPolicy.delays.1', 'must be a duration'],
    [{ delays: '1s,5s' }, 'retryPolicy.delays', 'must be a list of durations'],
    [{ delays: Array(50).fill('1s') }, 'retryPolicy.delays', 'at most 49 delays'],
    [{ delays: ['100h', '68h', '1s'] }, 'retryPolicy.delays', 'must not add up to more than 7 days'],
    [{ delays: ['1s'], factor: 2 }, 'retryPolicy', 'unknown field(s): factor'],
    [{ initial: '1s', factor: 2, maxDelay: '1h' }, 'retryPolicy.attempts', 'must be a number'],
    [{ initial: '1s', factor: 0.5, maxDelay: '1h', attempts: 3 }, 'retryPolicy.factor', 'must be 1-10'],
    [{ initial: '1s', factor: 11, maxDelay: '1h', attempts: 3 }, 'retryPolicy.factor', 'must be 1-10'],
    [{ initial: '1s', factor: 2, maxDelay: '1h', attempts: 0 }, 'retryPolicy.attempts', 'must be 1-50'],
    [{ initial: '1s', factor: 2, maxDelay: '1h', attempts: 51 }, 'retryPolicy.attempts', 'must be 1-50'],
    [{ initial: '1s', factor: 2, maxDelay: '1h', attempts: 2.5 }, 'retryPolicy.attempts', 'must be an integer'],
    [{ initial: 'now', factor: 2, maxDelay: '1h', attempts: 3 }, 'retryPolicy.initial', 'must be a duration'],
    [{ initial: '1m', factor: 2, maxDelay: '1s', attempts: 3 }, 'retryPolicy.maxDelay', 'must not be shorter than initial'],
    [{ initial: '1h', factor: 2, maxDelay: '168h', attempts: 50 }, 'retryPolicy.attempts', 'must not add up to more than 7 days'],
    [{ initial: '1s', factor: 2, maxDelay: '1h', attempts: 3, jitter: 0 }, 'retryPolicy', 'unknown field(s): jitter'],
    [['1s', '5s'], 'retryPolicy', 'must be null, { delays: [...] }'],
    ['1s,5s', 'retryPolicy', 'must be null, { delays: [...] }'],
  ])('refuses %j, naming %s', (input, field, rule) => {
    // Named as in an endpoint body, where the policy sits under `retryPolicy`.
    const issues = issuesOf(input).map((i) => ({ field: i.field === '(root)' ? 'retryPolicy' : `retryPolicy.${i.field}`, rule: i.rule }));
    expect(issues).toContainEqual({ field, rule: expect.stringContaining(rule) });
  });

  it('accepts a span of exactly 7 days and refuses one millisecond more', () => {
    expect(RetryPolicyInputSchema.safeParse({ delays: ['100h', '68h'] }).success).toBe(true);
    expect(RetryPolicyInputSchema.safeParse({ delays: ['100h', '68h', '1000ms'] }).success).toBe(false);
    expect(100 * 3_600_000 + 68 * 3_600_000).toBe(MAX_RETRY_SPAN_MS);
  });
});

describe(retryScheduleOf.name, () => {
  it('is the list itself for a list of delays', () => {
    expect(retryScheduleOf({ delaysMs: [1000, 2000, 3000] })).toEqual([1000, 2000, 3000]);
  });

  it('grows by the factor up to the cap, one wait fewer than the attempts', () => {
    expect(retryScheduleOf({ initialMs: 1000, factor: 2, maxDelayMs: 10_000, attempts: 7 })).toEqual([1000, 2000, 4000, 8000, 10_000, 10_000]);
    expect(retryScheduleOf({ initialMs: 1000, factor: 1.5, maxDelayMs: 60_000, attempts: 4 })).toEqual([1000, 1500, 2250]);
    expect(retryScheduleOf({ initialMs: 5000, factor: 3, maxDelayMs: 60_000, attempts: 1 })).toEqual([]);
  });

  it('never exceeds the cap nor falls below the initial wait, and every accepted policy spans at most 7 days', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 3600 }),
        fc.double({ min: 1, max: 10, noNaN: true }),
        fc.integer({ min: 1, max: 604_800 }),
        fc.integer({ min: 1, max: 50 }),
        (initialS, factor, maxS, attempts) => {
          const parsed = RetryPolicyInputSchema.safeParse({ initial: `${initialS}s`, factor, maxDelay: `${maxS}s`, attempts });
          if (!parsed.success) return;
          const schedule = retryScheduleOf(parsed.data!);
          expect(schedule).toHaveLength(attempts - 1);
          for (const wait of schedule) {
            expect(wait).toBeGreaterThanOrEqual(initialS * 1000);
            expect(wait).toBeLessThanOrEqual(maxS * 1000);
          }
          expect(schedule.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(MAX_RETRY_SPAN_MS);
        },
      ),
    );
  });
});

describe(retryPolicyView.name, () => {
  it('shows each form as it is written, durations in their largest whole unit', () => {
    expect(retryPolicyView({ delaysMs: [1000, 90_000, 120_000, 7_200_000, 1500] })).toEqual({ delays: ['1s', '90s', '2m', '2h', '1500ms'] });
    expect(retryPolicyView({ initialMs: 1000, factor: 2, maxDelayMs: 3_600_000, attempts: 10 })).toEqual({
      initial: '1s',
      factor: 2,
      maxDelay: '1h',
      attempts: 10,
    });
    expect(retryPolicyView(null)).toBeNull();
  });

  it('reads back what it shows', () => {
    for (const input of [{ delays: ['1s', '90s', '2h'] }, { initial: '1s', factor: 2, maxDelay: '1h', attempts: 10 }]) {
      expect(retryPolicyView(RetryPolicyInputSchema.parse(input))).toEqual(input);
    }
  });

  it('formats any wait so that it parses back to itself', () => {
    fc.assert(fc.property(fc.nat({ max: MAX_RETRY_SPAN_MS }), (ms) => expect(parseDuration(formatDuration(ms))).toBe(ms)));
  });
});

describe('decideRetry with an endpoint policy', () => {
  it("follows the schedule the outcome carries instead of the default, with the default's jitter", () => {
    const schedule = retryScheduleOf({ delaysMs: [1000, 2000, 3000] });
    const at = (attempt: number, random: number) => decideRetry({ ...refused(attempt, 500), retrySchedule: schedule }, DEFAULT_RETRY_POLICY, () => random);
    expect([1, 2, 3].map((k) => at(k, 0.5))).toEqual([
      { action: 'retry', nextAttempt: 2, delayMs: 1000 },
      { action: 'retry', nextAttempt: 3, delayMs: 2000 },
      { action: 'retry', nextAttempt: 4, delayMs: 3000 },
    ]);
    expect(at(1, 0)).toMatchObject({ delayMs: 800 });
    expect(at(3, 0.999999)).toMatchObject({ delayMs: 3600 });
    expect(at(4, 0.5)).toEqual({ action: 'dead', reason: 'all 4 attempts failed' });
  });

  it('clamps a Retry-After to the endpoint schedule', () => {
    const outcome = { ...refused(1, 503, 3600), retrySchedule: [2000] };
    expect(decideRetry(outcome, DEFAULT_RETRY_POLICY, () => 0.5)).toEqual({ action: 'retry', nextAttempt: 2, delayMs: 4000 });
  });

  it('uses the default schedule when the outcome carries none (outcomes from before policies)', () => {
    expect(decideRetry(refused(1, 500), DEFAULT_RETRY_POLICY, () => 0.5)).toEqual({ action: 'retry', nextAttempt: 2, delayMs: 5000 });
    expect(decideRetry(refused(11, 500), DEFAULT_RETRY_POLICY, () => 0.5)).toEqual({ action: 'dead', reason: 'all 11 attempts failed' });
  });

  it('ends a delivery after one attempt under an empty list', () => {
    expect(decideRetry({ ...refused(1, 500), retrySchedule: [] }, DEFAULT_RETRY_POLICY, () => 0.5)).toEqual({
      action: 'dead',
      reason: 'all 1 attempts failed',
    });
  });
});
