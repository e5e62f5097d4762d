import type { TopicContract, ValueOf } from '@hookline/contracts';
import { randomUUID } from 'node:crypto';
import type { Consumer } from 'kafkajs';
import type { Logger } from 'pino';
import { IDLE_FETCH_WAIT_MS } from './consumer-defaults';
import type { KafkaAdmin, KafkaClient, PartitionEnd, TopicNames } from './kafka-client';
import { kafkaJsOf } from './kafkajs/kafkajs-client';
import { parseJson } from './message';

/**
 * An in-memory table built from a compacted topic (latest value per key;
 * null = deleted). Each instance reads the whole topic from the start under a
 * throwaway group, so every service instance holds the full view.
 *
 * `syncToLatest()` waits until everything written to the topic before the call
 * has been applied, which gives a happens-before guarantee: an endpoint saved
 * before an event was accepted is seen when that event is processed.
 */
export interface CompactedViewOptions<C extends TopicContract> {
  /** Called for every change applied: the new value, or null when the key was deleted. */
  onChange?: (key: string, value: ValueOf<C> | null) => void;
  /** Called for a record that fails the contract's schema (it is logged too); the key keeps its previous value. */
  onInvalid?: (record: { topic: string; partition: number; offset: string; key: string }) => void;
}

export class CompactedView<C extends TopicContract> {
  private readonly table = new Map<string, ValueOf<C>>();
  private readonly positions = new Map<number, bigint>();
  /** Log start offsets of partitions the view has not read from, when it needed them. */
  private readonly starts = new Map<number, bigint>();
  private pendingEnds: Promise<PartitionEnd[]> | null = null;
  private readonly consumer: Consumer;
  private readonly admin: KafkaAdmin;
  private readonly groupId: string;
  private waiters: (() => void)[] = [];

  constructor(
    kafka: KafkaClient,
    private readonly names: TopicNames,
    private readonly contract: C,
    private readonly logger: Logger,
    groupPrefix: string,
    private readonly options: CompactedViewOptions<C> = {},
  ) {
    this.groupId = `${groupPrefix}.view.${randomUUID()}`;
    this.consumer = kafkaJsOf(kafka).consumer({ groupId: this.groupId, maxWaitTimeInMs: IDLE_FETCH_WAIT_MS, allowAutoTopicCreation: false });
    this.admin = kafka.admin();
  }

  get size(): number {
    return this.table.size;
  }

  get(key: string): ValueOf<C> | undefined {
    return this.table.get(key);
  }

  values(): IterableIterator<ValueOf<C>> {
    return this.table.values();
  }

  async start(): Promise<void> {
    await this.admin.connect();
    await this.consumer.connect();
    await this.consumer.subscribe({ topic: this.names.of(this.contract), fromBeginning: true });
    await this.consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        for (const message of batch.messages) {
          const key = message.key?.toString('utf8');
          if (!key) continue;
          if (message.value === null || message.value.length === 0) {
            this.table.delete(key);
            this.options.onChange?.(key, null);
            continue;
          }
          const json = parseJson(message.value);
          const parsed = json.ok ? this.contract.schema.safeParse(json.value) : null;
          if (!parsed?.success) {
            const record = { topic: batch.topic, partition: batch.partition, offset: message.offset, key };
            this.logger.error(record, 'a record of a compacted topic fails its schema; its key keeps its previous value');
            this.options.onInvalid?.(record);
            continue;
          }
          const value = parsed.data as ValueOf<C>;
          this.table.set(key, value);
          this.options.onChange?.(key, value);
        }
        const last = batch.messages.at(-1);
        if (last) this.advance(batch.partition, BigInt(last.offset) + 1n);
      },
    });
    await this.syncToLatest(60_000);
  }

  private advance(partition: number, next: bigint): void {
    if ((this.positions.get(partition) ?? 0n) < next) this.positions.set(partition, next);
    const waiters = this.waiters;
    this.waiters = [];
    waiters.forEach((w) => w());
  }

  /**
   * Resolves once everything on the topic at call time has been applied.
   *
   * It asks the broker for the topic's end offsets (one request; callers in
   * the same turn of the event loop share it, but never a request sent before
   * they called, which could miss a record written just before) and waits
   * until the view has read that far. A partition the view never read from
   * counts from its log start, which is looked up only then: its records may
   * all be gone (compaction, retention), and then there is nothing to read.
   */
  async syncToLatest(timeoutMs = 10_000): Promise<void> {
    const ends = await this.nextEnds();
    const deadline = Date.now() + timeoutMs;
    const caughtUp = () => ends.every((e) => (this.positions.get(e.partition) ?? this.starts.get(e.partition) ?? 0n) >= BigInt(e.offset));
    while (!caughtUp()) {
      if (ends.some((e) => !this.positions.has(e.partition) && BigInt(e.offset) > 0n)) await this.learnStarts();
      if (caughtUp()) return;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out catching up with ${this.names.of(this.contract)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 250));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** The end offsets from a request not sent yet: it goes out on the next turn of the event loop, for every caller until then. */
  private nextEnds(): Promise<PartitionEnd[]> {
    if (!this.pendingEnds) {
      this.pendingEnds = new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
        this.pendingEnds = null;
        return this.admin.fetchTopicEnds(this.names.of(this.contract));
      });
    }
    return this.pendingEnds;
  }

  private async learnStarts(): Promise<void> {
    for (const { partition, low } of await this.admin.fetchTopicOffsets(this.names.of(this.contract))) this.starts.set(partition, BigInt(low));
  }

  async stop(): Promise<void> {
    await this.consumer.disconnect();
    // The throwaway group holds no useful offsets; remove it so groups don't pile up.
    await this.admin.deleteGroups([this.groupId]).catch(() => undefined);
    await this.admin.disconnect();
  }
}
