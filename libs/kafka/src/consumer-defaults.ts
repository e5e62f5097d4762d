import type { ConsumerConfig } from 'kafkajs';

/**
 * How long a fetch waits at the broker when no data is there. Brokers answer a
 * fetch as soon as data arrives (`minBytes` 1), so this adds no latency; it
 * only sets how often an idle consumer asks. At 20–100 ms the six services'
 * empty fetches kept the broker at ~57 % of a core with nothing happening and
 * ~79 % at 200 events/s (BENCHMARKS.md, observation 4).
 */
export const IDLE_FETCH_WAIT_MS = 500;

/** When a fetch is answered: once `minBytes` are there, or after `maxWaitMs` with whatever is. */
export interface FetchPolicy {
  minBytes: number;
  maxWaitMs: number;
}

/** For the delivery path: a fetch is answered as soon as one message is there. */
export const FETCH_AT_ONCE: FetchPolicy = { minBytes: 1, maxWaitMs: IDLE_FETCH_WAIT_MS };

/**
 * For consumers off the delivery path (the delivery log): a fetch waits for
 * 64 KiB or 250 ms, so at a low rate one fetch, one handler call, one database
 * transaction and one offset commit cover many messages instead of one each.
 */
export const FETCH_IN_BULK: FetchPolicy = { minBytes: 64 * 1024, maxWaitMs: 250 };

/**
 * The settings every group consumer of Hookline runs with: topics are created
 * by service-kit at boot, never by a consumer; a crashed instance's partitions
 * move to the others after `sessionTimeout`. A heartbeat every 3 s (a third of
 * the session, as Kafka advises) rather than every second: heartbeats of idle
 * consumers were a third of an idle broker's work (12 consumers: 4.5 → 3.0 %
 * of a core, BENCHMARKS.md "Broker settings"), and a rebalance is noticed at
 * the next heartbeat, within 3 s instead of 1 s.
 */
export function consumerConfig(groupId: string, fetch: FetchPolicy = FETCH_AT_ONCE): ConsumerConfig {
  return {
    groupId,
    allowAutoTopicCreation: false,
    sessionTimeout: 10_000,
    heartbeatInterval: 3_000,
    minBytes: fetch.minBytes,
    maxWaitTimeInMs: fetch.maxWaitMs,
  };
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
