import type { TopicContract } from '@hookline/contracts';
import type { Consumer, Kafka } from 'kafkajs';
import type { Logger } from 'pino';
import { consumerConfig, retryWhile } from './consumer-defaults';
import type { TopicNames } from './kafka-client';
import { toConsumed, type ConsumedMessage } from './message';

export interface BatchConsumerOptions {
  groupId: string;
  topics: readonly TopicContract[];
  /** Durable work for a whole batch of one partition; offsets are committed only after it resolves. */
  handle: (messages: ConsumedMessage[]) => Promise<void>;
  partitionsConsumedConcurrently?: number;
  fromBeginning?: boolean;
  /** Messages are handed to `handle` in slices of at most this many. */
  maxBatch?: number;
}

/**
 * At-least-once batch consumption: a partition's batch is handed over, and its
 * offset is committed only after the handler made the work durable. A handler
 * that throws (database or broker down) is retried with backoff on the same
 * batch while the partition is still this consumer's; nothing after it is
 * committed meanwhile. Bad messages never reach here as throws: they are
 * dead-lettered by the validating handler (`validatingBatchHandler`).
 */
export class BatchConsumer {
  private readonly consumer: Consumer;
  private running = false;

  constructor(
    kafka: Kafka,
    private readonly names: TopicNames,
    private readonly logger: Logger,
    private readonly options: BatchConsumerOptions,
  ) {
    this.consumer = kafka.consumer(consumerConfig(options.groupId));
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
          await retryWhile(
            () => this.options.handle(part),
            () => isRunning() && !isStale(),
            (err, attempt, retryInMs) => {
              this.logger.error(
                { err, topic: batch.topic, partition: batch.partition, offset: part[0].offset, attempt, retryInMs },
                'batch handler failed; retrying the same batch, nothing after it is committed',
              );
              void heartbeat().catch(() => undefined);
            },
          );
          const next = (BigInt(part[part.length - 1].offset) + 1n).toString();
          await this.consumer.commitOffsets([{ topic: batch.topic, partition: batch.partition, offset: next }]);
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
