import type { TopicContract } from '@hookline/contracts';
import type { Consumer, Kafka } from 'kafkajs';
import type { Logger } from 'pino';
import type { TopicNames } from './kafka-client';
import { toConsumed, type ConsumedMessage } from './message';
import { IDLE_FETCH_WAIT_MS } from './fetch-wait';

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
 * batch; nothing after it is committed meanwhile. Handlers deal with bad
 * messages themselves (dead-letter them), so a throw always means "try again".
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
    this.consumer = kafka.consumer({
      groupId: options.groupId,
      allowAutoTopicCreation: false,
      // A crashed instance's partitions move to the others after this long.
      sessionTimeout: 10_000,
      heartbeatInterval: 1_000,
      maxWaitTimeInMs: IDLE_FETCH_WAIT_MS,
    });
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
          await this.handleWithRetry(part, heartbeat, () => isRunning() && !isStale());
          const next = (BigInt(part[part.length - 1].offset) + 1n).toString();
          await this.consumer.commitOffsets([{ topic: batch.topic, partition: batch.partition, offset: next }]);
          await heartbeat();
        }
      },
    });
  }

  private async handleWithRetry(messages: ConsumedMessage[], heartbeat: () => Promise<void>, stillOwned: () => boolean): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.options.handle(messages);
        return;
      } catch (error) {
        if (!stillOwned()) throw error;
        const delay = Math.min(200 * 2 ** (attempt - 1), 5_000);
        this.logger.error(
          { err: error, topic: messages[0].topic, partition: messages[0].partition, offset: messages[0].offset, attempt, retryInMs: delay },
          'batch handler failed; retrying the same batch, nothing after it is committed',
        );
        await new Promise((r) => setTimeout(r, delay));
        await heartbeat().catch(() => undefined);
      }
    }
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.consumer.disconnect();
  }
}
