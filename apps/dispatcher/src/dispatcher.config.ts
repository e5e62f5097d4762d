import { BaseEnv, env, loadConfig, MasterKeyEnv } from '@hookline/config';
import { z } from 'zod';

const count = (fallback: number, max: number) =>
  z.coerce.number({ error: 'must be a number' }).int('must be an integer').min(1, 'must be at least 1').max(max, `must be at most ${max}`).default(fallback);

export const DispatcherEnv = BaseEnv.extend(MasterKeyEnv.shape).extend({
  DISPATCHER_PORT: env.port(3003),
  /** Requests in flight to one endpoint at once. */
  DISPATCHER_ENDPOINT_CONCURRENCY: count(20, 1000),
  /**
   * Requests waiting in memory for one endpoint at most (fewer when it is slow:
   * only what it can start within 2 s waits); further ones are deferred to the retry-scheduler.
   * As large as the default window, so a healthy endpoint's burst can fill a partition's window.
   */
  DISPATCHER_ENDPOINT_QUEUE: count(2000, 100_000),
  /** Unfinished delivery requests per partition before fetching pauses; one endpoint holds at most half of it. */
  DISPATCHER_PARTITION_WINDOW: count(2000, 100_000),
  HOOKLINE_ALLOW_PRIVATE_TARGETS: env.bool(false),
});
export type DispatcherConfig = z.infer<typeof DispatcherEnv>;

export const loadDispatcherConfig = (source: NodeJS.ProcessEnv = process.env): DispatcherConfig => loadConfig('dispatcher', DispatcherEnv, source);
