import { handlerBackoffMs, retryWhile } from './consumer-defaults';
import { classifyFailure, HandBack, UNKNOWN_FAILURE_ATTEMPTS, type Failure } from './failure';
import type { ConsumedMessage } from './message';

/**
 * Where a record that can never be processed goes: the service's dead-letter
 * topic, with the original bytes and the failure. Resolves once it is on Kafka.
 */
export type ParkSink = (message: ConsumedMessage, failure: Failure) => Promise<void>;

export interface PoisonSearchOptions {
  /** The durable work for some messages of one partition; must be idempotent (a part-written batch is redone). */
  handle: (messages: ConsumedMessage[]) => Promise<void>;
  park: ParkSink;
  /** False once the partition is no longer this consumer's or it stops: the work is then given up, uncommitted. */
  keepTrying: () => boolean;
  /** Told of each failure before its retry or search (logging, readiness). */
  onFailure: (failure: Failure, error: unknown, messages: ConsumedMessage[], attempt: number) => void;
  sleep?: (ms: number) => Promise<void>;
  /** Tries on an unknown failure before it is handled as permanent. Default `UNKNOWN_FAILURE_ATTEMPTS`. */
  unknownAttempts?: number;
  /**
   * When the consumer last handled anything successfully (epoch ms). A record
   * is parked for an unknown failure only if something succeeded after it began
   * failing: proof that its dependencies work and the record is at fault.
   * Default: always (no such proof asked).
   */
  lastSuccessAt?: () => number;
  now?: () => number;
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Handles messages of one partition so that no record can hold up the others:
 * - a transient failure retries the same messages with backoff for as long as
 *   the partition is owned (never parking anything: the dependency comes back);
 * - a permanent failure splits the messages in halves and handles each,
 *   recursively, until the single record(s) that fail alone are found: those
 *   are parked (`park`), every other one is handled;
 * - an unknown failure is retried like a transient one `unknownAttempts`
 *   times, then searched like a permanent one, the halves tried once each (the
 *   whole has shown it fails); a record failing alone is parked for it only
 *   once other work succeeded after it began failing, so an outage whose
 *   errors are not recognised parks nothing (it retries, and readiness says so).
 * Resolves once every message is handled or parked, so the offset may move
 * past all of them; rejects only when `keepTrying()` turned false or the
 * handler threw `HandBack`.
 */
export async function handleIsolatingPoison(messages: ConsumedMessage[], options: PoisonSearchOptions): Promise<void> {
  await settle(messages, options, options.unknownAttempts ?? UNKNOWN_FAILURE_ATTEMPTS);
}

/** Whether a record failing for an unknown reason since `since` may be parked: something else went through meanwhile. */
function othersSucceededSince(options: PoisonSearchOptions, since: number): boolean {
  return options.lastSuccessAt === undefined || options.lastSuccessAt() > since;
}

async function settle(messages: ConsumedMessage[], options: PoisonSearchOptions, unknownAttempts: number): Promise<void> {
  const sleep = options.sleep ?? realSleep;
  const now = options.now ?? Date.now;
  const since = now();
  for (let attempt = 1; ; attempt++) {
    let error: unknown;
    try {
      await options.handle(messages);
      return;
    } catch (thrown) {
      error = thrown;
    }
    if (!options.keepTrying() || error instanceof HandBack) throw error;
    const failure = classifyFailure(error);
    options.onFailure(failure, error, messages, attempt);
    const search =
      failure.class === 'permanent' ||
      (failure.class === 'unknown' && attempt >= unknownAttempts && (messages.length > 1 || othersSucceededSince(options, since)));
    if (!search) {
      await sleep(handlerBackoffMs(attempt));
      if (!options.keepTrying()) throw error;
      continue;
    }
    if (messages.length === 1) {
      const parked: Failure = { ...failure, class: 'permanent' };
      await retryWhile(
        () => options.park(messages[0], parked),
        options.keepTrying,
        (parkError, parkAttempt) => options.onFailure(classifyFailure(parkError), parkError, messages, parkAttempt),
        sleep,
      );
      return;
    }
    const middle = Math.ceil(messages.length / 2);
    const halves = failure.class === 'unknown' ? 1 : unknownAttempts;
    await settle(messages.slice(0, middle), options, halves);
    await settle(messages.slice(middle), options, halves);
    return;
  }
}
