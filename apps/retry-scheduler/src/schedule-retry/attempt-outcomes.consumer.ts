import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { AttemptOutcomeSchema, AttemptsCompletedTopic, DeliveriesDeferredTopic, DeliveryDeferredSchema, type TopicContract } from '@hookline/contracts';
import { BatchConsumer, parseJson, type ConsumedMessage, type Kafka, type TopicNames } from '@hookline/kafka';
import { KAFKA, LOGGER, Readiness, TOPICS } from '@hookline/service-kit';
import type { Logger } from 'pino';
import { ScheduleRetry, type DeferralWithTrace, type OutcomeWithTrace } from './schedule-retry.usecase';

/** Attempt outcomes and deferrals → the durable schedule; offsets committed after the rows are written. */
@Injectable()
export class AttemptOutcomesConsumer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly consumer: BatchConsumer;

  constructor(
    @Inject(KAFKA) kafka: Kafka,
    @Inject(TOPICS) private readonly topics: TopicNames,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly scheduleRetry: ScheduleRetry,
    readiness: Readiness,
  ) {
    this.consumer = new BatchConsumer(kafka, topics, logger, {
      groupId: topics.group('retry-scheduler'),
      topics: [AttemptsCompletedTopic, DeliveriesDeferredTopic],
      handle: (messages) => this.handle(messages),
      partitionsConsumedConcurrently: 2,
    });
    readiness.add('attempt-outcomes-consumer', async () => {
      if (!this.consumer.isRunning) throw new Error('attempt outcomes consumer is not running');
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.consumer.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.consumer.stop();
  }

  private async handle(messages: ConsumedMessage[]): Promise<void> {
    const outcomes: OutcomeWithTrace[] = [];
    const deferrals: DeferralWithTrace[] = [];
    const isTopic = (m: ConsumedMessage, c: TopicContract) => m.topic === this.topics.of(c);
    for (const message of messages) {
      const json = parseJson(message.value);
      if (isTopic(message, AttemptsCompletedTopic)) {
        const parsed = json.ok ? AttemptOutcomeSchema.safeParse(json.value) : null;
        if (parsed?.success) outcomes.push({ outcome: parsed.data, traceHeaders: message.headers });
        else this.skip(message);
      } else {
        const parsed = json.ok ? DeliveryDeferredSchema.safeParse(json.value) : null;
        if (parsed?.success) deferrals.push({ deferred: parsed.data, traceHeaders: message.headers });
        else this.skip(message);
      }
    }
    await this.scheduleRetry.execute(outcomes, deferrals);
  }

  private skip(message: ConsumedMessage): void {
    this.logger.error({ topic: message.topic, partition: message.partition, offset: message.offset }, 'skipping a message that does not match its contract');
  }
}
