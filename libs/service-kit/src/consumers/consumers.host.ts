import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { PARKED_RECORDS_TOPICS, type DeadLetter, type ParkedRecord, type TopicContract } from '@hookline/contracts';
import {
  BatchConsumer,
  type ConsumedMessage,
  type Failure,
  type LagObserver,
  type ParkSink,
  validatingBatchHandler,
  validatingMessageHandler,
  WindowedConsumer,
  type BatchingProducer,
  type DeadLetterSink,
  type KafkaClient,
  type TopicNames,
} from '@hookline/kafka';
import type { Logger } from 'pino';
import { Counter, Gauge } from 'prom-client';
import { Readiness } from '../health/readiness';
import { CONFIG, KAFKA, LOGGER, PRODUCER, TOPICS } from '../tokens';
import { Declarations, fromConfig, type Declared } from '../discovery';
import { CONSUMER, type ConsumerDeclaration } from './consume.decorators';

const deadLettered = new Counter({
  name: 'hookline_messages_dead_lettered_total',
  help: 'Consumed messages that failed their topic schema and went to a dead-letter topic',
  labelNames: ['topic', 'consumer'],
});

const parked = new Counter({
  name: 'hookline_messages_parked_total',
  help: "Records a consumer could never process (permanent failure), parked on its service's dead-letter topic",
  labelNames: ['topic', 'consumer'],
});

const lag = new Gauge({
  name: 'hookline_consumer_lag',
  help: "Messages on a partition after the consumer's position: the fetched batch's high watermark minus the next offset to commit",
  labelNames: ['group', 'topic', 'partition'],
});

interface Running {
  name: string;
  consumer: BatchConsumer | WindowedConsumer;
  drainMs?: number;
}

/**
 * Runs every consumer the service declares with `@ConsumeBatches` or
 * `@ConsumeEach`: builds it, validates each message with its contract,
 * dead-letters what fails, starts it after bootstrap, reports it in
 * /health/ready and stops it before shutdown (before the producer and the
 * database close).
 */
@Injectable()
export class ConsumersHost implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly running: Running[] = [];

  constructor(
    private readonly declarations: Declarations,
    @Inject(KAFKA) private readonly kafka: KafkaClient,
    @Inject(TOPICS) private readonly names: TopicNames,
    @Inject(PRODUCER) private readonly producer: BatchingProducer,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(CONFIG) private readonly config: unknown,
    private readonly readiness: Readiness,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    for (const declared of this.declarations.find<ConsumerDeclaration>(CONSUMER)) this.running.push(this.build(declared));
    const stuckAfterMs = (this.config as { HOOKLINE_CONSUMER_STUCK_AFTER_MS?: number }).HOOKLINE_CONSUMER_STUCK_AFTER_MS ?? 60_000;
    for (const { name, consumer } of this.running) {
      this.readiness.add(name, async () => {
        if (!consumer.isRunning) throw new Error(`${name} is not running`);
        const [stuck] = consumer.unfinished.stuckFor(stuckAfterMs);
        if (stuck) {
          const { failure } = stuck;
          const seconds = Math.round((Date.now() - stuck.since) / 1000);
          throw new Error(
            `${name} has made no progress for ${seconds} s on topic ${stuck.topic} partition ${stuck.partition} at offset ${stuck.offset}: ` +
              (failure
                ? `${failure.class} failure ${failure.code ? `${failure.code} ` : ''}${failure.name}: ${failure.message}`
                : 'the work has neither finished nor failed (a hung call?)'),
          );
        }
      });
    }
    await Promise.all(this.running.map(({ consumer }) => consumer.start()));
  }

  async beforeApplicationShutdown(): Promise<void> {
    await Promise.all(this.running.map(({ consumer, drainMs }) => (consumer instanceof WindowedConsumer ? consumer.stop(drainMs) : consumer.stop())));
  }

  private build({ owner, method, meta, call }: Declared<ConsumerDeclaration>): Running {
    const groupId = this.names.group(meta.group);
    const name = `consumer ${meta.group} (${owner}.${method})`;
    const common = { names: this.names, topics: meta.topics, consumer: groupId, deadLetters: this.deadLetterSink(groupId) };
    const park = this.parkSink(meta.group, groupId);
    const onLag: LagObserver = (topic, partition, value) => lag.set({ group: groupId, topic, partition: String(partition) }, value);
    if (meta.mode === 'batches') {
      const handle = validatingBatchHandler({ ...common, headersSuffice: meta.headersSuffice, handle: call as (batch: unknown) => Promise<void> });
      return {
        name,
        consumer: new BatchConsumer(this.kafka, this.names, this.logger, {
          groupId,
          topics: meta.topics,
          handle,
          partitionsConsumedConcurrently: meta.partitionsConsumedConcurrently,
          maxBatch: meta.maxBatch,
          fetch: meta.fetch,
          park,
          onLag,
        }),
      };
    }
    const handle = validatingMessageHandler({ ...common, handle: call as (message: unknown) => Promise<void> });
    return {
      name,
      drainMs: meta.drainMs,
      consumer: new WindowedConsumer(this.kafka, this.names, this.logger, {
        groupId,
        topics: meta.topics,
        handle,
        park,
        onLag,
        maxInFlightPerPartition: meta.maxInFlightPerPartition === undefined ? undefined : fromConfig(meta.maxInFlightPerPartition, this.config),
      }),
    };
  }

  /** Dead letters are on Kafka before the offset of their message is committed; the log names the reason, never the value. */
  private deadLetterSink(consumer: string): DeadLetterSink {
    return async (deadLetterTopic: TopicContract, letters: DeadLetter[]) => {
      await this.producer.send(
        deadLetterTopic,
        letters.map((value) => ({ value })),
      );
      for (const letter of letters) {
        deadLettered.inc({ topic: letter.source.topic, consumer });
        this.logger.warn(
          {
            consumer,
            topic: letter.source.topic,
            partition: letter.source.partition,
            offset: letter.source.offset,
            reason: letter.reason,
            deadLetterTopic: this.names.of(deadLetterTopic),
          },
          'a message failed its topic schema and was dead-lettered',
        );
      }
    };
  }

  /**
   * Parked records are on the service's dead-letter topic before the offset
   * moves past them. The log line names where the record was and the error,
   * never its value (customer data, maybe secrets).
   */
  private parkSink(service: string, consumer: string): ParkSink {
    const topic = PARKED_RECORDS_TOPICS[service];
    if (!topic) throw new Error(`no dead-letter topic for records parked by ${service}; add one to PARKED_RECORDS_TOPICS (libs/contracts)`);
    return async (message: ConsumedMessage, failure: Failure) => {
      await this.producer.send(topic, [{ value: parkedRecord(message, failure, consumer) }]);
      parked.inc({ topic: message.topic, consumer });
      this.logger.warn(
        {
          consumer,
          topic: message.topic,
          partition: message.partition,
          offset: message.offset,
          error: { code: failure.code, name: failure.name, message: failure.message },
          deadLetterTopic: this.names.of(topic),
        },
        'a record could never be processed and was parked on the dead-letter topic; the records behind it go on',
      );
    };
  }
}

/** The letter for a parked record: the bytes exactly (as text when they are valid UTF-8, else base64). */
export function parkedRecord(message: ConsumedMessage, failure: Failure, consumer: string, now = new Date()): ParkedRecord {
  const text = message.value?.toString('utf8') ?? null;
  const utf8 = message.value === null || Buffer.from(text ?? '', 'utf8').equals(message.value);
  return {
    source: { topic: message.topic, partition: message.partition, offset: message.offset, key: message.key },
    consumer,
    value: message.value === null ? null : utf8 ? text : message.value.toString('base64'),
    valueEncoding: utf8 ? 'utf8' : 'base64',
    headers: message.headers,
    error: { class: 'permanent', ...(failure.code ? { code: failure.code } : {}), name: failure.name, message: failure.message },
    parkedAt: now.toISOString(),
  };
}
