import { Inject, Injectable } from '@nestjs/common';
import { EventsDeadLetteredTopic, EventsIngestedTopic, type DeadLetter } from '@hookline/contracts';
import type { BatchingProducer, Received, ReceivedBatch } from '@hookline/kafka';
import { ConsumeBatches, PRODUCER } from '@hookline/service-kit';
import { contextFromHeaders } from '@hookline/telemetry';
import { AcceptEvents } from '../accept-events/accept-events.usecase';
import { CheckSchemas } from '../schemas/check-schemas.usecase';

@Injectable()
export class IngestionConsumer {
  constructor(
    private readonly acceptEvents: AcceptEvents,
    private readonly checkSchemas: CheckSchemas,
    @Inject(PRODUCER) private readonly producer: BatchingProducer,
  ) {}

  /**
   * Events written straight to the ingestion topic, validated like an HTTP
   * body by the topic's schema: the valid ones are accepted, the others are
   * dead-lettered with the reason (service-kit); the offset is committed after both.
   * An event whose data breaks its type's schema under mode `enforce` is
   * dead-lettered too, with the JSON pointer and rule of each violation, as
   * HTTP answers 422; the events beside it go on.
   * A batch is already one claim and one send, and it is not grouped with other
   * partitions' batches: a record refused for good must fail its own batch only,
   * so the search for it never parks another partition's records.
   */
  @ConsumeBatches({ group: 'ingest', topics: [EventsIngestedTopic], partitionsConsumedConcurrently: 2 })
  async handle({ messages }: ReceivedBatch<typeof EventsIngestedTopic>): Promise<void> {
    const verdicts = await this.checkSchemas.execute(messages.map((m) => m.value));
    const letters: DeadLetter[] = [];
    const accepted: { message: Received<typeof EventsIngestedTopic>; index: number }[] = [];
    const now = new Date().toISOString();
    messages.forEach((message, index) => {
      const verdict = verdicts[index];
      if (verdict.kind !== 'refuse') return accepted.push({ message, index });
      const issues = verdict.violations.map((v) => ({ field: `/data${v.pointer}`, rule: v.rule }));
      letters.push({
        reason: `schema_violation: ${issues.map((i) => `${i.field}: ${i.rule}`).join('; ')}`,
        issues,
        source: { topic: message.topic, partition: message.partition, offset: message.offset, key: message.key },
        consumer: 'ingest',
        value: JSON.stringify(message.value),
        deadLetteredAt: now,
      });
    });
    await Promise.all([
      letters.length > 0
        ? this.producer.send(
            EventsDeadLetteredTopic,
            letters.map((value) => ({ value })),
          )
        : undefined,
      accepted.length === 0
        ? undefined
        : this.acceptEvents.execute(
            accepted.map(({ message, index }) => {
              const verdict = verdicts[index];
              return {
                input: message.value,
                schemaViolations: verdict.kind === 'flag' ? verdict.violations : undefined,
                parentContext: contextFromHeaders(message.headers),
              };
            }),
            'kafka',
          ),
    ]);
  }
}
