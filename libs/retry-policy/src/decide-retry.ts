import { chainStartOf, isRefused, type AttemptOutcome } from '@hookline/contracts';
import type { Random } from './random';
import type { RetryPolicy } from './schedule';

export type RetryDecision = { action: 'done' } | { action: 'retry'; nextAttempt: number; delayMs: number } | { action: 'dead'; reason: string };

/**
 * What to do after an attempt: nothing (it succeeded), retry after a delay, or
 * give up. Pure: the policy, the random source and the outcome come in.
 *
 * - `410 Gone`, a deleted and a disabled endpoint end the delivery at once.
 * - Otherwise the k-th attempt of the chain waits `schedule[k - 1]`, spread by
 *   ±`jitter`; past the end of the schedule the delivery is dead. A chain
 *   starts at attempt 1, or where a replay started it (`chainStart`): a replay
 *   continues the delivery's attempt numbers with the whole schedule again. The schedule is the one the
 *   outcome carries (the endpoint's own policy when the attempt was made),
 *   else `policy.schedule` (the default).
 * - A `Retry-After` (429/503) is honoured but clamped to [delay, 2 × delay], so
 *   an endpoint can neither make Hookline hammer it nor park a delivery for days.
 */
export function decideRetry(outcome: AttemptOutcome, policy: RetryPolicy, random: Random): RetryDecision {
  if (outcome.succeeded) return { action: 'done' };
  if (outcome.failure.kind === 'endpoint_missing') return { action: 'dead', reason: 'the endpoint was deleted' };
  if (outcome.failure.kind === 'endpoint_disabled') return { action: 'dead', reason: 'the endpoint is disabled' };
  if (isRefused(outcome) && outcome.response.status === 410) return { action: 'dead', reason: 'the endpoint answered 410 Gone' };
  const attempt = outcome.attempt;
  const inChain = attempt - chainStartOf(outcome) + 1;
  const schedule = outcome.retrySchedule ?? policy.schedule;
  // A chainStart past the attempt (a malformed request) counts as the chain's first attempt rather than indexing before the schedule.
  const k = Math.max(1, inChain);
  if (k > schedule.length) return { action: 'dead', reason: `all ${schedule.length + 1} attempts failed` };
  const jittered = Math.round(schedule[k - 1] * (1 - policy.jitter + 2 * policy.jitter * random()));
  const retryAfterMs = outcome.retryAfterSeconds === null ? null : outcome.retryAfterSeconds * 1000;
  const delayMs = retryAfterMs === null ? jittered : Math.min(Math.max(retryAfterMs, jittered), 2 * jittered);
  return { action: 'retry', nextAttempt: attempt + 1, delayMs };
}
