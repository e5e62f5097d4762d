/**
 * @hookline/retry-policy: when a delivery is tried again. The schedule and its
 * jitter, the `Retry-After` rule, the terminal answers, and the deferral of
 * requests to a saturated endpoint; pure functions fed a random source.
 */
export * from './decide-retry';
export * from './deferral';
export * from './endpoint-policy';
export * from './random';
export * from './rate-limit';
export * from './retry-after';
export * from './schedule';
