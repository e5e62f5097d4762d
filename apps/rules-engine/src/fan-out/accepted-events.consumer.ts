import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { EventsAcceptedTopic, EventEnvelopeSchema } from '@hookline/contracts';
import { BatchConsumer, parseJson, type ConsumedMessage, type Kafka, type TopicNames } from '@hookline/kafka';
import { KAFKA, LOGGER, Readiness, TOPICS } from '@hookline/service-kit';
import { contextFromHeaders } from '@hookline/telemetry';
import type { Logger } from 'pino';
import { FanOut, type RoutedEvent } from './fan-out.usecase';

/** Accepted events → fan-out; offsets are committed after the delivery requests are on Kafka. */
@Injectable()
export class AcceptedEventsConsumer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly consumer: BatchConsumer;

  constructor(
    @Inject(KAFKA) kafka: Kafka,
    @Inject(TOPICS) topics: TopicNames,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly fanOut: FanOut,
    readiness: Readiness,
  ) {
    this.consumer = new BatchConsumer(kafka, topics, logger, {
      groupId: topics.group('rules-engine'),
      topics: [EventsAcceptedTopic],
      handle: (messages) => this.handle(messages),
      partitionsConsumedConcurrently: 3,
    });
    readiness.add('accepted-events-consumer', async () => {
      if (!this.consumer.isRunning) throw new Error('accepted events consumer is not running');
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.consumer.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.consumer.stop();
  }

  private async handle(messages: ConsumedMessage[]): Promise<void> {
    const events: RoutedEvent[] = [];
    for (const message of messages) {
      const json = parseJson(message.value);
      const parsed = json.ok ? EventEnvelopeSchema.safeParse(json.value) : null;
      if (!parsed?.success) {
        // Only ingest writes this topic, after validation; a bad record here is a bug, not input.
        this.logger.error(
          { topic: message.topic, partition: message.partition, offset: message.offset },
          'skipping an accepted event that does not match its contract',
        );
        continue;
      }
      events.push({ event: parsed.data, context: contextFromHeaders(message.headers) });
    }
    await this.fanOut.execute(events);
  }
}
