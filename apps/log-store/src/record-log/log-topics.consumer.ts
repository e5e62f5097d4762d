import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import {
  AttemptOutcomeSchema,
  AttemptsCompletedTopic,
  DeliveriesExhaustedTopic,
  DeliveriesRequestedTopic,
  DeliveryExhaustedSchema,
  DeliveryRequestSchema,
  EventEnvelopeSchema,
  EventsAcceptedTopic,
} from '@hookline/contracts';
import { BatchConsumer, parseJson, type ConsumedMessage, type Kafka, type TopicNames } from '@hookline/kafka';
import { KAFKA, LOGGER, Readiness, TOPICS } from '@hookline/service-kit';
import { contextFromHeaders } from '@hookline/telemetry';
import type { Logger } from 'pino';
import { RecordLog, type LogBatch } from './record-log.usecase';

/** Events, delivery requests, attempt outcomes and exhaustions → PostgreSQL, a batch at a time. */
@Injectable()
export class LogTopicsConsumer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly consumer: BatchConsumer;

  constructor(
    @Inject(KAFKA) kafka: Kafka,
    @Inject(TOPICS) private readonly topics: TopicNames,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly recordLog: RecordLog,
    readiness: Readiness,
  ) {
    this.consumer = new BatchConsumer(kafka, topics, logger, {
      groupId: topics.group('log-store'),
      topics: [EventsAcceptedTopic, DeliveriesRequestedTopic, AttemptsCompletedTopic, DeliveriesExhaustedTopic],
      handle: (messages) => this.handle(messages),
      partitionsConsumedConcurrently: 4,
      maxBatch: 1000,
    });
    readiness.add('log-consumer', async () => {
      if (!this.consumer.isRunning) throw new Error('log consumer is not running');
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.consumer.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.consumer.stop();
  }

  private async handle(messages: ConsumedMessage[]): Promise<void> {
    const batch: LogBatch = { events: [], requests: [], attempts: [], exhausted: [] };
    const topic = messages[0].topic;
    for (const message of messages) {
      const json = parseJson(message.value);
      const value = json.ok ? json.value : undefined;
      if (topic === this.topics.of(EventsAcceptedTopic)) this.collect(EventEnvelopeSchema.safeParse(value), message, (v) => batch.events.push(v));
      else if (topic === this.topics.of(DeliveriesRequestedTopic)) this.collect(DeliveryRequestSchema.safeParse(value), message, (v) => batch.requests.push(v));
      else if (topic === this.topics.of(AttemptsCompletedTopic))
        this.collect(AttemptOutcomeSchema.safeParse(value), message, (v) => batch.attempts.push({ outcome: v, context: contextFromHeaders(message.headers) }));
      else this.collect(DeliveryExhaustedSchema.safeParse(value), message, (v) => batch.exhausted.push(v));
    }
    await this.recordLog.execute(batch);
  }

  private collect<T>(parsed: { success: true; data: T } | { success: false }, message: ConsumedMessage, add: (value: T) => void): void {
    if (parsed.success) add(parsed.data);
    else
      this.logger.error({ topic: message.topic, partition: message.partition, offset: message.offset }, 'skipping a message that does not match its contract');
  }
}
