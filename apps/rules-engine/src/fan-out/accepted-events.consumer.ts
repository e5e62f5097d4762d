import { Injectable } from '@nestjs/common';
import { EventsAcceptedTopic } from '@hookline/contracts';
import type { ReceivedBatch } from '@hookline/kafka';
import { ConsumeBatches } from '@hookline/service-kit';
import { contextFromHeaders } from '@hookline/telemetry';
import { FanOut } from './fan-out.usecase';

@Injectable()
export class AcceptedEventsConsumer {
  constructor(private readonly fanOut: FanOut) {}

  /** Accepted events → fan-out; the offset is committed once their delivery requests are on Kafka. */
  @ConsumeBatches({ group: 'rules-engine', topics: [EventsAcceptedTopic], partitionsConsumedConcurrently: 3 })
  async handle({ messages }: ReceivedBatch<typeof EventsAcceptedTopic>): Promise<void> {
    await this.fanOut.execute(messages.map((m) => ({ event: m.value, context: contextFromHeaders(m.headers) })));
  }
}
