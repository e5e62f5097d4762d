import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { EventsDeadLetteredTopic, EventsIngestedTopic, type DeadLetter, type FieldIssue } from '@hookline/contracts';
import { BatchConsumer, parseJson, type BatchingProducer, type ConsumedMessage, type Kafka, type TopicNames } from '@hookline/kafka';
import { KAFKA, LOGGER, PRODUCER, Readiness, TOPICS } from '@hookline/service-kit';
import { contextFromHeaders } from '@hookline/telemetry';
import type { Logger } from 'pino';
import { Counter } from 'prom-client';
import { AcceptEvents, type AcceptCommand } from '../accept-events/accept-events.usecase';
import { validateEventInput } from '../events/event-input';

const deadLettered = new Counter({ name: 'hookline_ingest_dead_lettered_total', help: 'Ingestion messages dead-lettered as invalid' });

/**
 * Events written straight to the ingestion topic: each message is validated
 * like an HTTP body; valid ones are accepted, invalid ones go to the
 * dead-letter topic with the reason. Offsets are committed only after both.
 */
@Injectable()
export class IngestionConsumer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly consumer: BatchConsumer;

  constructor(
    @Inject(KAFKA) kafka: Kafka,
    @Inject(TOPICS) private readonly topics: TopicNames,
    @Inject(PRODUCER) private readonly producer: BatchingProducer,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly acceptEvents: AcceptEvents,
    readiness: Readiness,
  ) {
    this.consumer = new BatchConsumer(kafka, topics, logger, {
      groupId: topics.group('ingest'),
      topics: [EventsIngestedTopic],
      handle: (messages) => this.handle(messages),
      partitionsConsumedConcurrently: 2,
    });
    readiness.add('ingestion-consumer', async () => {
      if (!this.consumer.isRunning) throw new Error('ingestion consumer is not running');
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.consumer.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.consumer.stop();
  }

  private async handle(messages: ConsumedMessage[]): Promise<void> {
    const commands: AcceptCommand[] = [];
    const rejects: DeadLetter[] = [];
    for (const message of messages) {
      const json = parseJson(message.value);
      const result = json.ok ? validateEventInput(json.value) : { ok: false as const, issues: [{ field: '(root)', rule: json.reason }] };
      if (result.ok) commands.push({ input: result.value, parentContext: contextFromHeaders(message.headers) });
      else rejects.push(this.deadLetter(message, result.issues));
    }
    await Promise.all([
      this.producer.send(
        EventsDeadLetteredTopic,
        rejects.map((value) => ({ value })),
      ),
      commands.length > 0 ? this.acceptEvents.execute(commands, 'kafka') : Promise.resolve([]),
    ]);
    if (rejects.length > 0) {
      deadLettered.inc(rejects.length);
      this.logger.warn(
        { count: rejects.length, first: rejects[0].reason, topic: this.topics.of(EventsDeadLetteredTopic) },
        'invalid ingestion messages dead-lettered',
      );
    }
  }

  private deadLetter(message: ConsumedMessage, issues: FieldIssue[]): DeadLetter {
    return {
      reason: issues.map((i) => `${i.field}: ${i.rule}`).join('; '),
      issues,
      source: { topic: message.topic, partition: message.partition, offset: message.offset, key: message.key },
      value: message.value ? message.value.toString('utf8') : null,
      deadLetteredAt: new Date().toISOString(),
    };
  }
}
