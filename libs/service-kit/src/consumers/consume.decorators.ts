import type { TopicContract } from '@hookline/contracts';
import type { BatchOf, FetchPolicy, HeadersSuffice, Received } from '@hookline/kafka';
import type { FromConfig } from '../discovery';

export const CONSUMER = Symbol('hookline:consumer');

export interface BatchConsumerDeclaration {
  mode: 'batches';
  /** The consumer group's service name: the group is `<prefix>hookline.<group>`. */
  group: string;
  topics: readonly TopicContract[];
  /** Partitions worked on at once by one instance. Default 1. */
  partitionsConsumedConcurrently?: number;
  /** Messages handed over at most at once. Default 500. */
  maxBatch?: number;
  /**
   * Messages whose key and headers are all the handler needs: they reach it
   * in the batch's `headersOnly`, their values neither parsed nor validated
   * (libs/kafka `HeadersSuffice`). Default: every message is decoded.
   */
  headersSuffice?: HeadersSuffice;
  /** When fetches are answered: libs/kafka `FETCH_AT_ONCE` (default) or, off the delivery path, `FETCH_IN_BULK`. */
  fetch?: FetchPolicy;
}

export interface MessageConsumerDeclaration {
  mode: 'each';
  group: string;
  topics: readonly TopicContract[];
  /** Unfinished messages allowed per partition before its fetching pauses. Default 1000. */
  maxInFlightPerPartition?: FromConfig<number>;
  /** How long a stop waits for the messages in flight. Default 15 s. */
  drainMs?: number;
}

export type ConsumerDeclaration = BatchConsumerDeclaration | MessageConsumerDeclaration;

type Handler<A> = TypedPropertyDescriptor<(input: A) => Promise<void>>;

/**
 * Declares the method as the handler of a batch consumer of `topics`. It gets
 * the valid messages of one partition of one topic at a time, typed by the
 * contract (narrow a multi-topic batch with `isBatchOf`); a message that fails
 * its schema goes to the topic's dead-letter topic instead. The offset is
 * committed once the handler resolves and the dead letters are on Kafka; a
 * throw retries the same batch with backoff. service-kit starts the consumer
 * after bootstrap, adds it to /health/ready and stops it at shutdown.
 */
export function ConsumeBatches<const T extends readonly TopicContract[]>(declaration: Omit<BatchConsumerDeclaration, 'mode' | 'topics'> & { topics: T }) {
  return (_target: object, _key: string | symbol, descriptor: Handler<BatchOf<T>>): void => {
    Reflect.defineMetadata(CONSUMER, { ...declaration, mode: 'batches' } satisfies ConsumerDeclaration, descriptor.value as object);
  };
}

/**
 * Declares the method as the handler of a windowed consumer of `topics`: many
 * messages of a partition in flight, finishing in any order, the offset
 * committed up to the oldest unfinished one. For work whose duration varies
 * per message (HTTP deliveries). Validation, dead letters and lifecycle as
 * for `ConsumeBatches`.
 */
export function ConsumeEach<const T extends readonly TopicContract[]>(declaration: Omit<MessageConsumerDeclaration, 'mode' | 'topics'> & { topics: T }) {
  return (_target: object, _key: string | symbol, descriptor: Handler<Received<T[number]>>): void => {
    Reflect.defineMetadata(CONSUMER, { ...declaration, mode: 'each' } satisfies ConsumerDeclaration, descriptor.value as object);
  };
}
