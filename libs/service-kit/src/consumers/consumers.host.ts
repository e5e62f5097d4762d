import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import type { DeadLetter, TopicContract } from '@hookline/contracts';
import {
  BatchConsumer,
  validatingBatchHandler,
  validatingMessageHandler,
  WindowedConsumer,
  type BatchingProducer,
  type DeadLetterSink,
  type Kafka,
  type TopicNames,
} from '@hookline/kafka';
import type { Logger } from 'pino';
import { Counter } from 'prom-client';
import { Readiness } from '../health/readiness';
import { CONFIG, KAFKA, LOGGER, PRODUCER, TOPICS } from '../tokens';
import { Declarations, fromConfig, type Declared } from '../discovery';
import { CONSUMER, type ConsumerDeclaration } from './consume.decorators';

const deadLettered = new Counter({
  name: 'hookline_messages_dead_lettered_total',
  help: 'Consumed messages that failed their topic schema and went to a dead-letter topic',
  labelNames: ['topic', 'consumer'],
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
    @Inject(KAFKA) private readonly kafka: Kafka,
    @Inject(TOPICS) private readonly names: TopicNames,
    @Inject(PRODUCER) private readonly producer: BatchingProducer,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(CONFIG) private readonly config: unknown,
    private readonly readiness: Readiness,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    for (const declared of this.declarations.find<ConsumerDeclaration>(CONSUMER)) this.running.push(this.build(declared));
    for (const { name, consumer } of this.running) {
      this.readiness.add(name, async () => {
        if (!consumer.isRunning) throw new Error(`${name} is not running`);
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
    if (meta.mode === 'batches') {
      const handle = validatingBatchHandler({ ...common, handle: call as (batch: unknown) => Promise<void> });
      return {
        name,
        consumer: new BatchConsumer(this.kafka, this.names, this.logger, {
          groupId,
          topics: meta.topics,
          handle,
          partitionsConsumedConcurrently: meta.partitionsConsumedConcurrently,
          maxBatch: meta.maxBatch,
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
}
