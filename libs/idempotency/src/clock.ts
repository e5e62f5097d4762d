/**
 * Where an idempotency store may read the time instead of PostgreSQL's clock.
 * Leases, the TTL and the purge are measured on it, so a test clock governs
 * expiry without sleeping. Production stores have none: every instance then
 * measures on the one database clock.
 */
export interface Clock {
  now(): Date;
}
