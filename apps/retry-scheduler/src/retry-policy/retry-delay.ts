import type { AttemptOutcome } from '@hookline/contracts';

/** SPEC §4: immediately, then about 5 s, 30 s, 2 m, 5 m, 30 m, 1 h, 2 h, 4 h, 8 h, 8 h (≈ 24 h in all). */
export const DEFAULT_SCHEDULE_MS: readonly number[] = [5, 30, 120, 300, 1800, 3600, 7200, 14400, 28800, 28800].map((s) => s * 1000);

export const JITTER = 0.2;

export type RetryDecision = { action: 'done' } | { action: 'retry'; nextAttempt: number; delayMs: number } | { action: 'dead'; reason: string };

/**
 * What to do after an attempt: nothing (it succeeded), retry after a delay, or
 * give up. Pure: the schedule, jitter source and Retry-After all come in.
 * `schedule[k-1]` is the wait after failed attempt k; past its end the
 * delivery is exhausted. Jitter is ±20 %; a `Retry-After` (429/503) is
 * honoured but clamped to [delay, 2 × delay] so an endpoint can neither make
 * Hookline hammer it nor park a delivery for days.
 */
export function decideRetry(
  outcome: Pick<AttemptOutcome, 'succeeded' | 'failure' | 'response' | 'retryAfterSeconds'> & { attempt: number },
  schedule: readonly number[],
  random: () => number,
): RetryDecision {
  if (outcome.succeeded) return { action: 'done' };
  const kind = outcome.failure?.kind;
  if (kind === 'endpoint_missing') return { action: 'dead', reason: 'the endpoint was deleted' };
  if (kind === 'endpoint_disabled') return { action: 'dead', reason: 'the endpoint is disabled' };
  if (outcome.response?.status === 410) return { action: 'dead', reason: 'the endpoint answered 410 Gone' };
  if (outcome.attempt > schedule.length) return { action: 'dead', reason: `all ${schedule.length + 1} attempts failed` };
  const base = schedule[outcome.attempt - 1];
  const jittered = Math.round(base * (1 - JITTER + 2 * JITTER * random()));
  const delayMs = outcome.retryAfterSeconds === null ? jittered : Math.min(Math.max(outcome.retryAfterSeconds * 1000, jittered), 2 * jittered);
  return { action: 'retry', nextAttempt: outcome.attempt + 1, delayMs };
}

/** Parses `5s,30s,2m,1h` (or plain milliseconds) into a schedule; throws naming the bad item. */
export function parseSchedule(text: string): number[] {
  const units: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  return text.split(',').map((item, i) => {
    const match = /^\s*(\d+)(ms|s|m|h)?\s*$/.exec(item);
    if (!match) throw new Error(`item ${i + 1} ("${item}") must be a number with an optional unit ms, s, m or h`);
    return Number(match[1]) * units[match[2] ?? 'ms'];
  });
}
