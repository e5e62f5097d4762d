import type { TopicContract } from '@hookline/contracts';
import type { Consumer } from 'kafkajs';
import type { Logger } from 'pino';
import { consumerConfig, type FetchPolicy } from './consumer-defaults';
import { UnfinishedWork, type LagObserver } from './unfinished-work';
import type { KafkaClient, TopicNames } from './kafka-client';
import { kafkaJsOf } from './kafkajs/kafkajs-client';
import { toConsumed, type ConsumedMessage } from './message';
import { handleIsolatingPoison, type ParkSink } from './poison-search';

export interface BatchConsumerOptions {
  groupId: string;
  topics: readonly TopicContract[];
  /** Durable work for a whole batch of one partition; offsets are committed only after it resolves. */
  handle: (messages: ConsumedMessage[]) => Promise<void>;
  partitionsConsumedConcurrently?: number;
  fromBeginning?: boolean;
  /** Messages are handed to `handle` in slices of at most this many. */
  maxBatch?: number;
  /** Where a record that fails permanently goes (the service's dead-letter topic). */
  park: ParkSink;
  onLag?: LagObserver;
  /** When fetches are answered (libs/kafka `FETCH_AT_ONCE`, the default, or `FETCH_IN_BULK`). */
  fetch?: FetchPolicy;
}

/**
 * At-least-once batch consumption: a partition's batch is handed over, and its
 * offset is committed only after the handler made the work durable. A handler
 * that fails for a transient reason (database or broker down) is retried with
 * backoff on the same batch while the partition is still this consumer's;
 * nothing after it is committed meanwhile. A permanent failure starts a search
 * for the bad record(s) (`handleIsolatingPoison`): they are parked, the others
 * handled, and the offset moves on. Messages that fail their schema never
 * reach here as throws: the validating handler dead-letters them.
 */
export class BatchConsumer {
  private readonly consumer: Consumer;
  private running = false;
  /** What is being retried, per partition: /health/ready reports it when it lasts. */
  readonly unfinished = new UnfinishedWork();
  /** Proof that the dependencies work: a record is parked for an unknown failure only if something succeeded after it began failing. */
  private lastSuccessAt = 0;

  constructor(
    kafka: KafkaClient,
    private readonly names: TopicNames,
    private readonly logger: Logger,
    private readonly options: BatchConsumerOptions,
  ) {
    this.consumer = kafkaJsOf(kafka).consumer(consumerConfig(options.groupId, options.fetch));
    // Work of the old assignment stops retrying on its own (isStale); its failures are no longer this instance's.
    this.consumer.on(this.consumer.events.GROUP_JOIN, () => this.unfinished.clearAll());
  }

  get isRunning(): boolean {
    return this.running;
  }

  async start(): Promise<void> {
    await this.consumer.connect();
    await this.consumer.subscribe({
      topics: this.options.topics.map((t) => this.names.of(t)),
      fromBeginning: this.options.fromBeginning ?? true,
    });
    this.running = true;
    await this.consumer.run({
      autoCommit: false,
      partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently ?? 1,
      eachBatch: async ({ batch, heartbeat, isRunning, isStale }) => {
        if (batch.messages.length === 0) return;
        const messages = batch.messages.map((m) => toConsumed(batch.topic, batch.partition, m));
        const slice = this.options.maxBatch ?? 500;
        for (let start = 0; start < messages.length; start += slice) {
          const part = messages.slice(start, start + slice);
          const first = part[0].offset;
          this.unfinished.started(batch.topic, batch.partition, first);
          try {
            await handleIsolatingPoison(part, {
              handle: async (messages) => {
                await this.options.handle(messages);
                this.lastSuccessAt = Date.now();
              },
              park: this.options.park,
              lastSuccessAt: () => this.lastSuccessAt,
              keepTrying: () => isRunning() && !isStale(),
              onFailure: (failure, err, messages, attempt) => {
                this.unfinished.failed(batch.topic, batch.partition, first, failure);
                this.logger.error(
                  {
                    failure,
                    ...(failure.class === 'unknown' ? { err } : {}),
                    topic: batch.topic,
                    partition: batch.partition,
                    offset: messages[0].offset,
                    count: messages.length,
                    attempt,
                  },
                  failure.class === 'transient'
                    ? 'batch handler failed; retrying the same batch, nothing after it is committed'
                    : 'batch handler failed; searching the batch for the record(s) that cannot be processed',
                );
                void heartbeat().catch(() => undefined);
              },
            });
          } finally {
            this.unfinished.cleared(batch.topic, batch.partition, first);
          }
          const next = (BigInt(part[part.length - 1].offset) + 1n).toString();
          await this.consumer.commitOffsets([{ topic: batch.topic, partition: batch.partition, offset: next }]);
          this.options.onLag?.(batch.topic, batch.partition, Math.max(0, Number(BigInt(batch.highWatermark) - BigInt(next))));
          await heartbeat();
        }
      },
    });
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.consumer.disconnect();
  }
}
