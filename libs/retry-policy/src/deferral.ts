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

/**
 * A request deferred for its endpoint's rate limit is issued again this long
 * before its token is due, so it waits the rest in memory and starts on time
 * (the retry-scheduler polls, and Kafka takes a moment), instead of late.
 */
export const RATE_DEFERRAL_LEAD_MS = MAX_QUEUE_WAIT_MS / 2;

/** An endpoint's rate limit as the dispatcher holds it now. */
export interface RateLoad {
  perSecond: number;
  /** Tokens in its bucket now (fractional). */
  tokens: number;
  /** How long until the requests deferred earlier for the rate are expected to have started (0: none). */
  deferredAheadMs: number;
}

/** What the dispatcher holds for one endpoint right now. */
export interface EndpointLoad {
  /** Attempts in flight. */
  active: number;
  /** Requests waiting for a free slot (or, under a rate limit, a token). */
  queued: number;
  /** The expected duration of one attempt (0 while unknown): see `EndpointLimiter.load`. */
  attemptMs: number;
  /** Its rate limit, if it has one. */
  rate?: RateLoad;
}

export interface AdmissionLimits {
  /** Attempts in flight per endpoint. */
  concurrency: number;
  /** Requests waiting per endpoint at most, however fast it is (a memory bound). */
  queueLimit: number;
  /** Requests (in flight and waiting) one endpoint may hold of its partition's window, unless all it holds starts soon. */
  share: number;
  /** The partition's window: what one endpoint may hold at most when all of it starts soon (default: `share`). */
  window?: number;
}

export type DeferralReason = 'endpoint_backlog' | 'partition_share' | 'rate_limit';

export type Admission = { action: 'start' } | { action: 'queue' } | { action: 'defer'; reason: DeferralReason };

/**
 * How many requests may wait behind an endpoint: as many as it is expected to
 * start within `MAX_QUEUE_WAIT_MS` (a slot frees every attemptMs / concurrency;
 * under a rate limit, a token comes every 1 / perSecond), within the queue
 * limit. A fast endpoint's burst waits in full; a hung one keeps almost
 * nothing waiting.
 */
export function queueRoom(load: Pick<EndpointLoad, 'attemptMs' | 'rate'>, limits: Pick<AdmissionLimits, 'concurrency' | 'queueLimit'>): number {
  let room = limits.queueLimit;
  if (load.attemptMs > 0) room = Math.min(room, Math.floor((MAX_QUEUE_WAIT_MS * limits.concurrency) / load.attemptMs));
  // The p-th waiting request gets its token after (p - tokens) / perSecond.
  if (load.rate) room = Math.min(room, Math.max(0, Math.floor(load.rate.tokens + (load.rate.perSecond * MAX_QUEUE_WAIT_MS) / 1000)));
  return room;
}

/** Under a rate limit: how long until one more request, behind those waiting, gets its token (0 without a limit, or at once). */
export function rateWaitMs(load: Pick<EndpointLoad, 'queued' | 'rate'>): number {
  if (!load.rate) return 0;
  return Math.max(0, ((load.queued + 1 - load.rate.tokens) * 1000) / load.rate.perSecond);
}

/**
 * What the dispatcher does with a new request for an endpoint: start it (a
 * slot is free, and a token under a rate limit), let it wait (it will start
 * soon), or defer it to the retry-scheduler at once. An endpoint holds no
 * more than its share of the partition's window unless every request it holds
 * can expect to start within the wait bound (a healthy endpoint's burst): then
 * up to the whole window, where the consumer stops fetching the partition, so
 * the rest of the burst waits in Kafka, not in the retry-scheduler, and the
 * endpoints sharing the partition wait no longer than the bound. However slow
 * an endpoint is, what it holds stays within its share. Under a rate limit, a
 * request whose token is more than the wait bound away is deferred, and so is
 * a fresh one (`deferredBefore` false) while requests deferred earlier for the
 * rate are still due back: it goes behind them, keeping the endpoint's order.
 */
export function admit(load: EndpointLoad, limits: AdmissionLimits, deferredBefore = false): Admission {
  const held = load.active + load.queued;
  if (held >= Math.max(limits.share, limits.window ?? limits.share)) return { action: 'defer', reason: 'partition_share' };
  // Past its share, everything it holds (in flight too: a slow endpoint's attempts hold the window as long as they run).
  if (held >= limits.share && held >= queueRoom(load, limits)) return { action: 'defer', reason: 'partition_share' };
  if (load.rate) {
    if (rateWaitMs(load) > MAX_QUEUE_WAIT_MS) return { action: 'defer', reason: 'rate_limit' };
    if (!deferredBefore && load.rate.deferredAheadMs > MAX_QUEUE_WAIT_MS) return { action: 'defer', reason: 'rate_limit' };
  }
  if (load.active < limits.concurrency && load.queued === 0 && rateWaitMs(load) === 0) return { action: 'start' };
  if (load.queued < queueRoom(load, limits)) return { action: 'queue' };
  return { action: 'defer', reason: 'endpoint_backlog' };
}

/**
 * A request deferred for its endpoint's rate limit: when its token is due
 * (after those waiting and those deferred before it), and how far ahead the
 * requests deferred for the rate then reach (one token further). It is issued
 * again `RATE_DEFERRAL_LEAD_MS` before its token, so it waits the rest in
 * memory; no jitter: the tokens already spread the requests.
 */
export function rateDeferral(load: Pick<EndpointLoad, 'queued'> & { rate: RateLoad }): { delayMs: number; deferredAheadMs: number } {
  const dueMs = Math.max(rateWaitMs(load), load.rate.deferredAheadMs);
  return { delayMs: Math.max(0, Math.round(dueMs - RATE_DEFERRAL_LEAD_MS)), deferredAheadMs: dueMs + 1000 / load.rate.perSecond };
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
