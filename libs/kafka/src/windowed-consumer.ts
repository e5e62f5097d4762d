import type { TopicContract } from '@hookline/contracts';
import type { Consumer, Kafka } from 'kafkajs';
import type { Logger } from 'pino';
import type { TopicNames } from './kafka-client';
import { toConsumed, type ConsumedMessage } from './message';
import { OffsetWindow } from './offset-window';
import { consumerConfig, retryWhile } from './consumer-defaults';

export interface WindowedConsumerOptions {
  groupId: string;
  topics: readonly TopicContract[];
  /**
   * Works on one message; many run at once and finish in any order. Resolves
   * once the outcome is durable. A throw is retried with backoff.
   */
  handle: (message: ConsumedMessage) => Promise<void>;
  /** Unfinished messages allowed per partition before its fetching pauses. */
  maxInFlightPerPartition?: number;
  commitIntervalMs?: number;
}

interface PartitionState {
  window: OffsetWindow;
  paused: boolean;
  resume: (() => void) | null;
}

/**
 * Out-of-order consumption for work whose duration varies per message (HTTP
 * deliveries): messages of a partition are worked on concurrently, and the
 * committed offset only ever advances to the oldest unfinished message. A slow
 * message therefore delays the commit, not the work on the messages behind it.
 */
export class WindowedConsumer {
  private readonly consumer: Consumer;
  private partitions = new Map<string, PartitionState>();
  private readonly inFlight = new Set<Promise<void>>();
  private commitTimer: NodeJS.Timeout | null = null;
  private running = false;

  constructor(
    kafka: Kafka,
    private readonly names: TopicNames,
    private readonly logger: Logger,
    private readonly options: WindowedConsumerOptions,
  ) {
    this.consumer = kafka.consumer(consumerConfig(options.groupId));
    // After a rebalance the group restarts from committed offsets; in-flight
    // work of the old assignment finishes (or stops retrying) but must not
    // move new commits, nor leave a partition paused for the new assignment.
    this.consumer.on(this.consumer.events.GROUP_JOIN, () => {
      for (const state of this.partitions.values()) if (state.paused) state.resume?.();
      this.partitions = new Map();
    });
  }

  get isRunning(): boolean {
    return this.running;
  }

  get inFlightCount(): number {
    return this.inFlight.size;
  }

  async start(): Promise<void> {
    await this.consumer.connect();
    await this.consumer.subscribe({ topics: this.options.topics.map((t) => this.names.of(t)), fromBeginning: true });
    this.running = true;
    this.commitTimer = setInterval(() => void this.commit(), this.options.commitIntervalMs ?? 200);
    const max = this.options.maxInFlightPerPartition ?? 1000;
    await this.consumer.run({
      autoCommit: false,
      partitionsConsumedConcurrently: 1,
      eachBatch: async ({ batch, pause }) => {
        const key = `${batch.topic}\u0000${batch.partition}`;
        let state = this.partitions.get(key);
        if (!state) {
          state = { window: new OffsetWindow(), paused: false, resume: null };
          this.partitions.set(key, state);
        }
        const current = state;
        const owned = () => this.running && this.partitions.get(key) === current;
        for (const raw of batch.messages) {
          const offset = Number(raw.offset);
          current.window.track(offset);
          this.run(toConsumed(batch.topic, batch.partition, raw), owned, () => {
            current.window.done(offset);
            if (current.paused && current.window.inFlight <= max / 2) {
              current.paused = false;
              current.resume?.();
            }
          });
        }
        if (!current.paused && current.window.inFlight >= max) {
          current.paused = true;
          current.resume = pause();
        }
      },
    });
  }

  /**
   * Works on one message, retrying a throw with backoff while the partition is
   * still this consumer's and the consumer runs. When it gives up the message
   * is not marked done, so its offset is never committed: the partition's next
   * owner (or this consumer after a restart) does it again.
   */
  private run(message: ConsumedMessage, owned: () => boolean, onDone: () => void): void {
    const work = retryWhile(
      () => this.options.handle(message),
      owned,
      (err, attempt, retryInMs) =>
        this.logger.error(
          { err, topic: message.topic, partition: message.partition, offset: message.offset, attempt, retryInMs },
          'message handler failed; retrying it',
        ),
    ).then(onDone, (err: unknown) =>
      this.logger.warn(
        { err, topic: message.topic, partition: message.partition, offset: message.offset },
        'gave up a message whose partition this consumer no longer owns; its next owner redoes it',
      ),
    );
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work));
  }

  private async commit(): Promise<void> {
    const offsets: { topic: string; partition: number; offset: string }[] = [];
    for (const [key, state] of this.partitions) {
      const next = state.window.takeCommittable();
      if (next === null) continue;
      const [topic, partition] = key.split('\u0000');
      offsets.push({ topic, partition: Number(partition), offset: String(next) });
    }
    if (offsets.length === 0) return;
    try {
      await this.consumer.commitOffsets(offsets);
    } catch (error) {
      // A failed commit only means a redo after a crash; the next tick retries.
      this.logger.warn({ err: error }, 'offset commit failed');
      for (const o of offsets) this.partitions.get(`${o.topic}\u0000${o.partition}`)?.window.forgetCommit();
    }
  }

  /** Stops fetching, lets in-flight work finish (up to `drainMs`), commits, leaves the group. */
  async stop(drainMs = 15_000): Promise<void> {
    this.running = false;
    // Pause rather than stop: a stopped KafkaJS consumer can no longer commit.
    this.consumer.pause(this.options.topics.map((t) => ({ topic: this.names.of(t) })));
    await Promise.race([Promise.all(this.inFlight), new Promise((r) => setTimeout(r, drainMs))]);
    if (this.commitTimer) clearInterval(this.commitTimer);
    await this.commit();
    await this.consumer.disconnect();
  }
}
