import { Injectable } from '@nestjs/common';
import { EventsIngestedTopic } from '@hookline/contracts';
import type { ReceivedBatch } from '@hookline/kafka';
import { ConsumeBatches } from '@hookline/service-kit';
import { contextFromHeaders } from '@hookline/telemetry';
import { AcceptEvents } from '../accept-events/accept-events.usecase';

@Injectable()
export class IngestionConsumer {
  constructor(private readonly acceptEvents: AcceptEvents) {}

  /**
   * Events written straight to the ingestion topic, validated like an HTTP
   * body by the topic's schema: the valid ones are accepted, the others are
   * dead-lettered with the reason (service-kit); the offset is committed after both.
   * A batch is already one claim and one send, and it is not grouped with other
   * partitions' batches: a record refused for good must fail its own batch only,
   * so the search for it never parks another partition's records.
   */
  @ConsumeBatches({ group: 'ingest', topics: [EventsIngestedTopic], partitionsConsumedConcurrently: 2 })
  async handle({ messages }: ReceivedBatch<typeof EventsIngestedTopic>): Promise<void> {
    await this.acceptEvents.execute(
      messages.map((m) => ({ input: m.value, parentContext: contextFromHeaders(m.headers) })),
      'kafka',
    );
  }
}
