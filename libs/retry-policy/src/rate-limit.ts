import type { EndpointRateLimit } from '@hookline/contracts';
import { z } from 'zod';

/** The slowest and fastest rate an endpoint may be given: one request per 100 s, ten thousand a second. */
export const MIN_RATE_PER_SECOND = 0.01;
export const MAX_RATE_PER_SECOND = 10_000;
/** The largest burst: what one endpoint may take at once after a quiet spell. */
export const MAX_RATE_BURST = 10_000;

/** Without a burst of its own, an endpoint may take one second's worth of requests at once (at least one). */
export const defaultBurst = (perSecond: number): number => Math.max(1, Math.ceil(perSecond));

const rateRule = `must be a number from ${MIN_RATE_PER_SECOND} to ${MAX_RATE_PER_SECOND}`;
const burstRule = `must be an integer from 1 to ${MAX_RATE_BURST}`;

/**
 * An endpoint's `rateLimit` as the admin API takes it: `{ perSecond, burst? }`
 * (requests started per second, fractions allowed; the most started at once
 * after a quiet spell), or null for none. The burst is resolved here, so the
 * endpoints topic and the endpoint view carry the value in force.
 */
export const RateLimitInputSchema = z
  .object(
    {
      perSecond: z.number(rateRule).min(MIN_RATE_PER_SECOND, rateRule).max(MAX_RATE_PER_SECOND, rateRule),
      burst: z.number(burstRule).int(burstRule).min(1, burstRule).max(MAX_RATE_BURST, burstRule).optional(),
    },
    { error: 'must be null or { perSecond, burst? }' },
  )
  .strict()
  .transform((r): EndpointRateLimit => ({ perSecond: r.perSecond, burst: r.burst ?? defaultBurst(r.perSecond) }))
  .nullable();

/** A token bucket: `tokens` (fractional) as of `at` (ms); full when it holds the burst. */
export interface TokenBucket {
  tokens: number;
  at: number;
}

/** A bucket for a limit just set: full, so an endpoint starts with its burst. */
export const fullBucket = (limit: EndpointRateLimit, now: number): TokenBucket => ({ tokens: limit.burst, at: now });

/** The bucket at `now`: tokens added at the limit's rate since it was last seen, up to the burst. */
export function refill(bucket: TokenBucket, limit: EndpointRateLimit, now: number): TokenBucket {
  const elapsed = Math.max(0, now - bucket.at);
  return { tokens: Math.min(limit.burst, bucket.tokens + (elapsed * limit.perSecond) / 1000), at: Math.max(now, bucket.at) };
}

/**
 * How long from `bucket.at` until the bucket has given `n` tokens in turn
 * (the n-th request of a line taking one each as it comes): 0 when it holds
 * them already. Takes a refilled bucket.
 */
export function msUntilTokens(bucket: TokenBucket, limit: EndpointRateLimit, n = 1): number {
  return Math.max(0, ((n - bucket.tokens) * 1000) / limit.perSecond);
}

/**
 * The bucket under a changed limit: what it gained at the old rate until now,
 * then at most the new burst. A limit raised does not refill it: the next
 * requests start at the new rate from what is there.
 */
export function relimit(bucket: TokenBucket, from: EndpointRateLimit, to: EndpointRateLimit, now: number): TokenBucket {
  const current = refill(bucket, from, now);
  return { tokens: Math.min(to.burst, current.tokens), at: current.at };
}
