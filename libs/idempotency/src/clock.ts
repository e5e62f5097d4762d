/**
 * Where the idempotency store reads the time. Leases, the TTL and the purge
 * are measured on it, and the time goes to PostgreSQL as a parameter rather
 * than `now()`, so a test clock governs expiry without sleeping.
 */
export interface Clock {
  now(): Date;
}

/** The host's clock. */
export const systemClock: Clock = { now: () => new Date() };
