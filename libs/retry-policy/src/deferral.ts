import type { Random } from './random';

/**
 * The longest a request may expect to wait in memory behind its endpoint. A
 * request that would wait longer is deferred: held here it would only occupy
 * a slot of its partition's window, which healthy endpoints sharing the
 * partition need.
 */
export const MAX_QUEUE_WAIT_MS = 2_000;

/** A deferred request comes back after this long at the least. */
export const DEFERRAL_MIN_MS = 2_000;
/**
 * And after this long at the most, however often it was deferred: it bounds
 * the wait once a hung endpoint recovers. At 5 min, a 30 s hang beside nine
 * healthy endpoints (RELIABILITY.md, scenario 5) took 139 s to deliver its
 * backlog after the hang ended; at 1 min, each request behind a hung endpoint
 * still comes back at most once a minute (4,000 of them: ~70 a second).
 */
export const DEFERRAL_MAX_MS = 60_000;
/** Deferral delays are spread by ±20 %, so requests deferred together do not return together. */
export const DEFERRAL_JITTER = 0.2;

/** What the dispatcher holds for one endpoint right now. */
export interface EndpointLoad {
  /** Attempts in flight. */
  active: number;
  /** Requests waiting for a free slot. */
  queued: number;
  /** The expected duration of one attempt (0 while unknown): see `EndpointLimiter.load`. */
  attemptMs: number;
}

export interface AdmissionLimits {
  /** Attempts in flight per endpoint. */
  concurrency: number;
  /** Requests waiting per endpoint at most, however fast it is (a memory bound). */
  queueLimit: number;
  /** Requests (in flight and waiting) one endpoint may hold of its partition's window. */
  share: number;
}

export type DeferralReason = 'endpoint_backlog' | 'partition_share';

export type Admission = { action: 'start' } | { action: 'queue' } | { action: 'defer'; reason: DeferralReason };

/**
 * How many requests may wait behind an endpoint: as many as it is expected to
 * start within `MAX_QUEUE_WAIT_MS` (a slot frees every attemptMs / concurrency),
 * within the queue limit. A fast endpoint's burst waits in full; a hung one
 * keeps almost nothing waiting.
 */
export function queueRoom(load: Pick<EndpointLoad, 'attemptMs'>, limits: Pick<AdmissionLimits, 'concurrency' | 'queueLimit'>): number {
  if (load.attemptMs <= 0) return limits.queueLimit;
  return Math.min(limits.queueLimit, Math.floor((MAX_QUEUE_WAIT_MS * limits.concurrency) / load.attemptMs));
}

/**
 * What the dispatcher does with a new request for an endpoint: start it (a
 * slot is free), let it wait (it will start soon), or defer it to the
 * retry-scheduler at once. An endpoint never holds more than its share of the
 * partition's window, so however slow it is, the others sharing the partition
 * keep being fetched.
 */
export function admit(load: EndpointLoad, limits: AdmissionLimits): Admission {
  if (load.active + load.queued >= limits.share) return { action: 'defer', reason: 'partition_share' };
  if (load.active < limits.concurrency) return { action: 'start' };
  if (load.queued < queueRoom(load, limits)) return { action: 'queue' };
  return { action: 'defer', reason: 'endpoint_backlog' };
}

/**
 * How long a deferred request waits before it is issued again (same attempt
 * number: a deferral costs no retry). The time the endpoint needs to drain
 * what it holds at its observed speed, at least `DEFERRAL_MIN_MS`; doubled for
 * each earlier deferral of the same request, so a request behind a hung
 * endpoint comes back less and less often instead of spinning; at most
 * `DEFERRAL_MAX_MS`; spread by ±`DEFERRAL_JITTER`.
 */
export function deferralDelayMs(endpoint: { held: number; attemptMs: number; concurrency: number }, deferrals: number, random: Random): number {
  const drainMs = (endpoint.held * endpoint.attemptMs) / Math.max(1, endpoint.concurrency);
  const grown = Math.max(DEFERRAL_MIN_MS, drainMs) * 2 ** Math.min(deferrals, 20);
  const spread = 1 - DEFERRAL_JITTER + 2 * DEFERRAL_JITTER * random();
  return Math.round(Math.min(DEFERRAL_MAX_MS, Math.max(DEFERRAL_MIN_MS, grown * spread)));
}
