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
const duplicates = new Counter({
  name: 'hookline_events_duplicate_total',
  help: 'Events dropped as duplicates of an id seen within 24 h',
  labelNames: ['source'],
});

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
    const purge = () => void this.eventIds.purgeExpired().catch((err) => this.logger.warn({ err }, 'purging expired event ids failed'));
    purge();
    this.purgeTimer = setInterval(purge, 15 * 60_000);
    this.purgeTimer.unref();
  }

  onModuleDestroy(): void {
    if (this.purgeTimer) clearInterval(this.purgeTimer);
  }

  /** The message for one accepted event; its span starts the event's trace (or continues the producer's). */
  private traced(event: EventEnvelope, parent: Context | undefined, source: string) {
    const span = tracer().startSpan(
      'ingest event',
      {
        kind: SpanKind.PRODUCER,
        attributes: { 'hookline.tenant_id': event.tenantId, 'hookline.event_id': event.id, 'hookline.event_type': event.type, 'hookline.source': source },
      },
      parent ?? otelContext.active(),
    );
    const headers = traceHeaders(span);
    span.end();
    return { value: event, headers };
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

    const publish = await this.eventIds.claimWhile(
      events.map((e) => ({ tenantId: e.tenantId, eventId: e.id })),
      async (fresh) => {
        const seenInCall = new Set<string>();
        const chosen: { event: EventEnvelope; index: number }[] = [];
        events.forEach((event, index) => {
          const key = keyOf({ tenantId: event.tenantId, eventId: event.id });
          if (fresh.has(key) && !seenInCall.has(key)) chosen.push({ event, index });
          seenInCall.add(key);
        });
        await this.producer.send(
          EventsAcceptedTopic,
          chosen.map(({ event, index }) => this.traced(event, commands[index].parentContext, source)),
        );
        return chosen;
      },
    );

    accepted.inc({ source }, publish.length);
    duplicates.inc({ source }, events.length - publish.length);
    const published = new Set(publish.map((p) => p.index));
    return events.map((event, index) => ({ id: event.id, duplicate: !published.has(index) }));
  }
}
