import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { EventsAcceptedTopic, newEventId, type EventEnvelope, type EventInput } from '@hookline/contracts';
import type { BatchingProducer } from '@hookline/kafka';
import { LOGGER, PRODUCER } from '@hookline/service-kit';
import { SpanKind, context as otelContext, traceHeaders, tracer, type Context } from '@hookline/telemetry';
import type { Logger } from 'pino';
import { Counter } from 'prom-client';
import { EventIdRepository, keyOf } from './event-id.repository';

export interface AcceptCommand {
  input: EventInput;
  /** Trace context of the producer (HTTP `traceparent` or Kafka header), continued if present. */
  parentContext?: Context;
}

export interface AcceptResult {
  id: string;
  duplicate: boolean;
}

const accepted = new Counter({ name: 'hookline_events_accepted_total', help: 'Events accepted and published', labelNames: ['source'] });
const duplicates = new Counter({ name: 'hookline_events_duplicate_total', help: 'Events dropped as duplicates of an id seen within 24 h', labelNames: ['source'] });

/**
 * Turns validated inputs into accepted events: assigns ids and timestamps,
 * drops ids seen in the last 24 h, publishes the rest (one span each, which
 * starts the event's trace) and returns only once the broker has them.
 */
@Injectable()
export class AcceptEvents implements OnModuleInit, OnModuleDestroy {
  private purgeTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly eventIds: EventIdRepository,
    @Inject(PRODUCER) private readonly producer: BatchingProducer,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onModuleInit(): void {
    this.purgeTimer = setInterval(
      () => void this.eventIds.purgeExpired().catch((err) => this.logger.warn({ err }, 'purging expired event ids failed')),
      15 * 60_000,
    );
    this.purgeTimer.unref();
  }

  onModuleDestroy(): void {
    if (this.purgeTimer) clearInterval(this.purgeTimer);
  }

  async execute(commands: AcceptCommand[], source: 'http' | 'kafka'): Promise<AcceptResult[]> {
    const now = new Date().toISOString();
    const events: EventEnvelope[] = commands.map(({ input }) => ({
      id: input.id ?? newEventId(),
      tenantId: input.tenantId,
      type: input.type,
      data: input.data,
      occurredAt: input.occurredAt ? new Date(input.occurredAt).toISOString() : now,
      receivedAt: now,
    }));

    const toPublish = await this.eventIds.claim(events.map((e) => ({ tenantId: e.tenantId, eventId: e.id })));
    const seenInCall = new Set<string>();
    const publish: { event: EventEnvelope; index: number }[] = [];
    events.forEach((event, index) => {
      const key = keyOf({ tenantId: event.tenantId, eventId: event.id });
      if (toPublish.has(key) && !seenInCall.has(key)) publish.push({ event, index });
      seenInCall.add(key);
    });

    const messages = publish.map(({ event, index }) => {
      const span = tracer().startSpan(
        'ingest event',
        {
          kind: SpanKind.PRODUCER,
          attributes: { 'hookline.tenant_id': event.tenantId, 'hookline.event_id': event.id, 'hookline.event_type': event.type, 'hookline.source': source },
        },
        commands[index].parentContext ?? otelContext.active(),
      );
      const headers = traceHeaders(span);
      span.end();
      return { value: event, headers };
    });
    await this.producer.send(EventsAcceptedTopic, messages);
    await this.eventIds
      .markPublished(publish.map(({ event }) => ({ tenantId: event.tenantId, eventId: event.id })))
      .catch((err) => this.logger.warn({ err }, 'marking events published failed; a repeat of them will be published again'));

    accepted.inc({ source }, publish.length);
    duplicates.inc({ source }, events.length - publish.length);
    const published = new Set(publish.map((p) => p.index));
    return events.map((event, index) => ({ id: event.id, duplicate: !published.has(index) }));
  }
}
