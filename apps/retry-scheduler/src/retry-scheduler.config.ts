import { BaseEnv, DatabaseEnv, env, loadConfig } from '@hookline/config';
import { z } from 'zod';
import { DEFAULT_SCHEDULE_MS, parseDuration, parseSchedule } from '@hookline/retry-policy';

export const DEFAULT_EXHAUSTED_EVENT_INTERVAL_MS = 5 * 60_000;

export const RetrySchedulerEnv = BaseEnv.extend(DatabaseEnv.shape).extend({
  RETRY_SCHEDULER_PORT: env.port(3004),
  /** Comma-separated waits after each failed attempt, e.g. `5s,30s,2m`. */
  HOOKLINE_RETRY_SCHEDULE: z
    .string()
    .optional()
    .transform((text, ctx) => {
      if (text === undefined || text.trim() === '') return [...DEFAULT_SCHEDULE_MS];
      try {
        return parseSchedule(text);
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: (error as Error).message });
        return z.NEVER;
      }
    }),
  RETRY_SCHEDULER_POLL_MS: z.coerce.number().int().min(10).max(60_000).default(200),
  /** At most one `delivery.exhausted` per endpoint per this long, e.g. `5m`; in milliseconds once parsed. */
  HOOKLINE_EXHAUSTED_EVENT_INTERVAL: z
    .string()
    .optional()
    .transform((text, ctx) => {
      if (text === undefined || text.trim() === '') return DEFAULT_EXHAUSTED_EVENT_INTERVAL_MS;
      const ms = parseDuration(text);
      if (ms === null || ms < 1000 || ms > 86_400_000) {
        ctx.addIssue({ code: 'custom', message: 'must be a duration from 1s to 24h, e.g. "5m" (units ms, s, m, h)' });
        return z.NEVER;
      }
      return ms;
    }),
  /** Held deliveries of a resumed endpoint released per second, per endpoint (README, "Endpoint states"). */
  RETRY_SCHEDULER_RELEASE_PER_SECOND: z.coerce.number().int().min(1).max(10_000).default(200),
});
export type RetrySchedulerConfig = z.infer<typeof RetrySchedulerEnv>;

export const loadRetrySchedulerConfig = (source: NodeJS.ProcessEnv = process.env) => loadConfig('retry-scheduler', RetrySchedulerEnv, source);
