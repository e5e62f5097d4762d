import fc from 'fast-check';
import { decideRetry } from './decide-retry';
import { inChain, refused, succeeded, unanswered } from './outcome.fixtures';
import type { RetryPolicy } from './schedule';

const policies = fc.record({
  schedule: fc.array(fc.integer({ min: 0, max: 48 * 3_600_000 }), { maxLength: 20 }),
  jitter: fc.double({ min: 0, max: 0.9, noNaN: true }),
});
const random = fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true });
const status = fc.integer({ min: 100, max: 599 }).filter((s) => (s < 200 || s > 299) && s !== 410);
const RUNS = { numRuns: 2_000 };

/** The unjittered and jittered bounds of the wait after `attempt` under `policy`. */
function bounds(policy: RetryPolicy, attempt: number) {
  const base = policy.schedule[attempt - 1];
  return { low: Math.round(base * (1 - policy.jitter)), high: Math.round(base * (1 + policy.jitter)) };
}

describe(`${decideRetry.name} properties`, () => {
  it('retries attempt k within ±jitter of schedule[k-1] while the schedule lasts, and is dead after it', () => {
    fc.assert(
      fc.property(policies, fc.integer({ min: 1, max: 25 }), status, random, (policy, attempt, code, r) => {
        const decision = decideRetry(refused(attempt, code), policy, () => r);
        if (attempt > policy.schedule.length) return decision.action === 'dead';
        const { low, high } = bounds(policy, attempt);
        return decision.action === 'retry' && decision.nextAttempt === attempt + 1 && decision.delayMs >= low && decision.delayMs <= high;
      }),
      RUNS,
    );
  });

  it('treats attempt chainStart + k - 1 of a replayed chain as attempt k of a first chain', () => {
    fc.assert(
      fc.property(policies, fc.integer({ min: 1, max: 25 }), fc.integer({ min: 1, max: 60 }), status, random, (policy, k, start, code, r) => {
        const first = decideRetry(refused(k, code), policy, () => r);
        const replayed = decideRetry(inChain(refused(start + k - 1, code), start), policy, () => r);
        if (first.action !== 'retry') return replayed.action === first.action;
        return replayed.action === 'retry' && replayed.delayMs === first.delayMs && replayed.nextAttempt === start + k;
      }),
      RUNS,
    );
  });

  it('keeps a Retry-After within [jittered delay, 2 × jittered delay]', () => {
    fc.assert(
      fc.property(policies, fc.integer({ min: 1, max: 25 }), fc.integer({ min: 0, max: 10 * 86_400 }), random, (policy, attempt, seconds, r) => {
        const withHeader = decideRetry(refused(attempt, 429, seconds), policy, () => r);
        const without = decideRetry(refused(attempt, 429), policy, () => r);
        if (without.action !== 'retry') return withHeader.action === without.action;
        if (withHeader.action !== 'retry') return false;
        return (
          withHeader.delayMs >= without.delayMs &&
          withHeader.delayMs <= 2 * without.delayMs &&
          (withHeader.delayMs === seconds * 1000) === (seconds * 1000 >= without.delayMs && seconds * 1000 <= 2 * without.delayMs)
        );
      }),
      RUNS,
    );
  });

  it('is deterministic for a given random source: the same inputs, the same decision', () => {
    fc.assert(
      fc.property(policies, fc.integer({ min: 1, max: 25 }), status, random, (policy, attempt, code, r) => {
        expect(decideRetry(refused(attempt, code), policy, () => r)).toEqual(decideRetry(refused(attempt, code), policy, () => r));
      }),
      RUNS,
    );
  });

  it('never retries a success, a 410, a deleted or a disabled endpoint, whatever the policy', () => {
    fc.assert(
      fc.property(policies, fc.integer({ min: 1, max: 25 }), random, (policy, attempt, r) => {
        const rnd = () => r;
        return (
          decideRetry(succeeded(attempt), policy, rnd).action === 'done' &&
          decideRetry(refused(attempt, 410), policy, rnd).action === 'dead' &&
          decideRetry(unanswered(attempt, 'endpoint_missing'), policy, rnd).action === 'dead' &&
          decideRetry(unanswered(attempt, 'endpoint_disabled'), policy, rnd).action === 'dead'
        );
      }),
      RUNS,
    );
  });

  it('gives a failing delivery exactly schedule.length + 1 attempts', () => {
    fc.assert(
      fc.property(policies, random, (policy, r) => {
        let attempt = 1;
        for (;;) {
          const decision = decideRetry(unanswered(attempt, 'timeout'), policy, () => r);
          if (decision.action !== 'retry') break;
          attempt = decision.nextAttempt;
        }
        return attempt === policy.schedule.length + 1;
      }),
      RUNS,
    );
  });
});
