import type { Random } from './random';

/** An endpoint with an attempt running this long counts as slow. */
export const SLOW_ATTEMPT_MS = 1_000;

/** A deferred request comes back after 2-5 s: long enough to let a slow endpoint drain, spread so deferrals do not return in step. */
export const DEFERRAL_MIN_MS = 2_000;
export const DEFERRAL_SPREAD_MS = 3_000;

/**
 * Whether the dispatcher parks a request instead of queueing it behind its
 * endpoint: only when the endpoint is both backed up (its queue is full) and
 * slow (its oldest attempt in flight has run for a second or more). A healthy
 * endpoint's burst just queues.
 */
export function shouldDefer(endpoint: { queued: number; queueLimit: number; oldestActiveMs: number }): boolean {
  return endpoint.queued >= endpoint.queueLimit && endpoint.oldestActiveMs >= SLOW_ATTEMPT_MS;
}

/** How long a deferred request waits before it is issued again (same attempt number: a deferral costs no retry). */
export function deferralDelayMs(random: Random): number {
  return DEFERRAL_MIN_MS + Math.floor(random() * DEFERRAL_SPREAD_MS);
}
