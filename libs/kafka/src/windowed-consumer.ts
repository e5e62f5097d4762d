import type { TopicContract } from '@hookline/contracts';
import type { Consumer } from 'kafkajs';
import type { Logger } from 'pino';
import type { KafkaClient, TopicNames } from './kafka-client';
import { kafkaJsOf } from './kafkajs/kafkajs-client';
import { toConsumed, type ConsumedMessage } from './message';
import { OffsetWindow } from './offset-window';
import { consumerConfig } from './consumer-defaults';
import { UnfinishedWork, type LagObserver } from './unfinished-work';
import { HandBack } from './failure';
import { handleIsolatingPoison, type ParkSink } from './poison-search';

export interface WindowedConsumerOptions {
  groupId: string;
  topics: readonly TopicContract[];
  /**
   * Works on one message; many run at once and finish in any order. Resolves
   * once the outcome is durable. A transient failure is retried with backoff;
   * a permanent one parks the message.
   */
  handle: (message: ConsumedMessage) => Promise<void>;
  /** Where a message that fails permanently goes (the service's dead-letter topic). */
  park: ParkSink;
  onLag?: LagObserver;
  /** Unfinished messages allowed per partition before its fetching pauses. */
  maxInFlightPerPartition?: number;
  commitIntervalMs?: number;
}

interface PartitionState {
  window: OffsetWindow;
  paused: boolean;
  resume: (() => void) | null;
  highWatermark: bigint;
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
  /** Messages being retried: /health/ready reports one that fails for too long. */
  readonly unfinished = new UnfinishedWork();
  /** Proof that the dependencies work: a record is parked for an unknown failure only if something succeeded after it began failing. */
  private lastSuccessAt = 0;

  constructor(
    kafka: KafkaClient,
    private readonly names: TopicNames,
    private readonly logger: Logger,
    private readonly options: WindowedConsumerOptions,
  ) {
    this.consumer = kafkaJsOf(kafka).consumer(consumerConfig(options.groupId));
    // After a rebalance the group restarts from committed offsets; in-flight
    // work of the old assignment finishes (or stops retrying) but must not
    // move new commits, nor leave a partition paused for the new assignment.
    this.consumer.on(this.consumer.events.GROUP_JOIN, () => {
      for (const state of this.partitions.values()) if (state.paused) state.resume?.();
      this.partitions = new Map();
      this.unfinished.clearAll();
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
          state = { window: new OffsetWindow(), paused: false, resume: null, highWatermark: 0n };
          this.partitions.set(key, state);
        }
        const current = state;
        current.highWatermark = BigInt(batch.highWatermark);
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
   * Works on one message: a transient failure is retried with backoff while
   * the partition is still this consumer's and the consumer runs, a permanent
   * one parks the message (`handleIsolatingPoison`). When it gives up the
   * message is not marked done, so its offset is never committed: the
   * partition's next owner (or this consumer after a restart) does it again.
   */
  private run(message: ConsumedMessage, owned: () => boolean, onDone: () => void): void {
    const { topic, partition, offset } = message;
    this.unfinished.started(topic, partition, offset);
    const work = handleIsolatingPoison([message], {
      handle: async () => {
        await this.options.handle(message);
        this.lastSuccessAt = Date.now();
      },
      park: this.options.park,
      lastSuccessAt: () => this.lastSuccessAt,
      keepTrying: owned,
      onFailure: (failure, err, _messages, attempt) => {
        this.unfinished.failed(topic, partition, offset, failure);
        this.logger.error(
          { failure, ...(failure.class === 'unknown' ? { err } : {}), topic, partition, offset, attempt },
          failure.class === 'transient' ? 'message handler failed; retrying it' : 'message handler failed; it cannot be processed',
        );
      },
    })
      .then(onDone, (err: unknown) => {
        if (err instanceof HandBack) this.logger.debug({ topic, partition, offset, reason: err.message }, 'handed a message back uncommitted');
        else this.logger.warn({ err, topic, partition, offset }, 'gave up a message whose partition this consumer no longer owns; its next owner redoes it');
      })
      .finally(() => this.unfinished.cleared(topic, partition, offset));
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
      this.options.onLag?.(topic, Number(partition), Math.max(0, Number(state.highWatermark - BigInt(next))));
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
