import type { TopicContract, ValueOf } from '@hookline/contracts';
import { Partitioners, type Message, type Producer, type TopicMessages } from 'kafkajs';
import type { KafkaClient, TopicNames } from './kafka-client';
import { kafkaJsOf } from './kafkajs/kafkajs-client';

export interface OutgoingMessage<C extends TopicContract> {
  value: ValueOf<C> | null;
  /** Overrides the contract's key (e.g. tombstones, ordering keys). */
  key?: string;
  headers?: Record<string, string>;
}

interface Pending {
  topic: string;
  message: Message;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * A producer that gathers messages from many concurrent callers for a moment
 * (`lingerMs`, 2 ms unless given) and sends them in one request, so a fan-out
 * or a stream of attempt outcomes costs one round trip per batch instead of
 * one per message. With `lingerMs` 0 it gathers only what is sent in the same
 * turn of the event loop: for callers that already gather their messages
 * themselves, to whom a linger would only add latency. Every `send` resolves
 * only once the broker has acknowledged its messages (acks = all), which is
 * what lets callers commit offsets safely.
 */
export class BatchingProducer {
  private readonly producer: Producer;
  private queue: Pending[] = [];
  /** Cancels the flush scheduled for the queue, if one is. */
  private cancelFlush: (() => void) | null = null;
  private inFlight = new Set<Promise<void>>();

  constructor(
    kafka: KafkaClient,
    private readonly names: TopicNames,
    private readonly options: { lingerMs?: number; maxBatch?: number } = {},
  ) {
    // The default (murmur2) partitioner places keys like Java clients do, so direct producers and Hookline agree.
    this.producer = kafkaJsOf(kafka).producer({ idempotent: false, allowAutoTopicCreation: false, createPartitioner: Partitioners.DefaultPartitioner });
  }

  connect(): Promise<void> {
    return this.producer.connect();
  }

  async disconnect(): Promise<void> {
    await this.flush();
    await this.producer.disconnect();
  }

  send<C extends TopicContract>(contract: C, messages: OutgoingMessage<C>[]): Promise<void> {
    if (messages.length === 0) return Promise.resolve();
    const topic = this.names.of(contract);
    const promises = messages.map(
      (m) =>
        new Promise<void>((resolve, reject) => {
          this.queue.push({
            topic,
            resolve,
            reject,
            message: {
              key: m.key ?? (m.value === null ? null : contract.key(m.value)),
              value: m.value === null ? null : JSON.stringify(m.value),
              headers: m.headers,
            },
          });
        }),
    );
    if (this.queue.length >= (this.options.maxBatch ?? 1000)) void this.flush();
    else if (!this.cancelFlush) this.cancelFlush = this.scheduleFlush(this.options.lingerMs ?? 2);
    return Promise.all(promises).then(() => undefined);
  }

  private scheduleFlush(lingerMs: number): () => void {
    if (lingerMs === 0) {
      const immediate = setImmediate(() => void this.flush());
      return () => clearImmediate(immediate);
    }
    const timer = setTimeout(() => void this.flush(), lingerMs);
    return () => clearTimeout(timer);
  }

  /** Sends whatever is queued now and waits for every batch still in flight. */
  async flush(): Promise<void> {
    this.cancelFlush?.();
    this.cancelFlush = null;
    const batch = this.queue;
    this.queue = [];
    if (batch.length > 0) {
      const byTopic = new Map<string, Message[]>();
      for (const p of batch) {
        const list = byTopic.get(p.topic) ?? [];
        list.push(p.message);
        byTopic.set(p.topic, list);
      }
      const topicMessages: TopicMessages[] = [...byTopic].map(([topic, msgs]) => ({ topic, messages: msgs }));
      const sending = this.producer.sendBatch({ topicMessages, acks: -1 }).then(
        () => batch.forEach((p) => p.resolve()),
        (error: unknown) => batch.forEach((p) => p.reject(error)),
      );
      this.inFlight.add(sending);
      void sending.finally(() => this.inFlight.delete(sending));
    }
    await Promise.all(this.inFlight);
  }
}
