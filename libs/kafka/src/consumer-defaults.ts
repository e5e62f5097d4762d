import type { ConsumerConfig } from 'kafkajs';

/**
 * How long a fetch waits at the broker when no data is there. Brokers answer a
 * fetch as soon as data arrives (`minBytes` 1), so this adds no latency; it
 * only sets how often an idle consumer asks. At 20–100 ms the six services'
 * empty fetches kept the broker at ~57 % of a core with nothing happening and
 * ~79 % at 200 events/s (BENCHMARKS.md, observation 4).
 */
export const IDLE_FETCH_WAIT_MS = 500;

/**
 * The settings every group consumer of Hookline runs with: topics are created
 * by service-kit at boot, never by a consumer; a crashed instance's partitions
 * move to the others after `sessionTimeout`.
 */
export function consumerConfig(groupId: string): ConsumerConfig {
  return { groupId, allowAutoTopicCreation: false, sessionTimeout: 10_000, heartbeatInterval: 1_000, maxWaitTimeInMs: IDLE_FETCH_WAIT_MS };
}

/** The wait before retrying a handler that threw for the `attempt`-th time: 200 ms doubling to 5 s. */
export function handlerBackoffMs(attempt: number): number {
  return Math.min(200 * 2 ** (attempt - 1), 5_000);
}

/**
 * Runs `work` until it succeeds, waiting `handlerBackoffMs` between tries, for
 * as long as `keepTrying()` holds; then rethrows the last error. A consumer
 * stops retrying work whose partition it no longer owns (the new owner redoes
 * it from the committed offset) or when it is stopping.
 */
export async function retryWhile<T>(
  work: () => Promise<T>,
  keepTrying: () => boolean,
  onError: (error: unknown, attempt: number, retryInMs: number) => void,
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (!keepTrying()) throw error;
      const delay = handlerBackoffMs(attempt);
      onError(error, attempt, delay);
      await sleep(delay);
      if (!keepTrying()) throw error;
    }
  }
}
