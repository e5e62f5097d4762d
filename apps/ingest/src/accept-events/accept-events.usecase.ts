import { EventsAcceptedTopic, type EventEnvelope, type EventId, type EventInput, type TenantId } from '@hookline/contracts';
import type { SchemaViolation } from '@hookline/catalog';
import type { OutgoingMessage } from '@hookline/kafka';
import { SpanKind, context as otelContext, traceHeaders, tracer, type Context } from '@hookline/telemetry';
import { Counter } from 'prom-client';

export interface EventKey {
  tenantId: TenantId;
  eventId: EventId;
}

/** Event ids seen in the last 24 h, claimed atomically with the publication of the new ones. */
export interface EventIdClaims {
  /**
   * Claims the keys and runs `publish` with those not seen within 24 h (as
   * `keyOf` strings); the claim holds only if `publish` succeeded, and a
   * concurrent claim of the same key waits for it.
   */
  claimWhile<T>(keys: EventKey[], publish: (fresh: Set<string>) => Promise<T>): Promise<T>;
}

/** Where accepted events go; resolves once the broker has them. */
export interface AcceptedEvents {
  send(topic: typeof EventsAcceptedTopic, messages: OutgoingMessage<typeof EventsAcceptedTopic>[]): Promise<void>;
}

export interface Clock {
  now(): Date;
}

/** Where accepted events came from: the HTTP API or the ingestion topic. */
export type AcceptSource = 'http' | 'kafka';

export interface AcceptCommand {
  input: EventInput;
  /** Where `data` failed its type's schema under schema mode `warn`: carried with the event, flagged in the log. */
  schemaViolations?: SchemaViolation[];
  /** Trace context of the producer (HTTP `traceparent` or Kafka header), continued if present. */
  parentContext?: Context;
}

export interface AcceptResult {
  id: EventId;
  duplicate: boolean;
}

/** One string per tenant and event id (a claim's identity). */
export const keyOf = (k: { tenantId: string; eventId: string }): string => `${k.tenantId}\u0000${k.eventId}`;

const accepted = new Counter({ name: 'hookline_events_accepted_total', help: 'Events accepted and published', labelNames: ['source'] });
const duplicates = new Counter({
  name: 'hookline_events_duplicate_total',
  help: 'Events dropped as duplicates of an id seen within 24 h',
  labelNames: ['source'],
});

/**
 * Turns validated inputs into accepted events: assigns ids and timestamps,
 * drops ids seen in the last 24 h (and repeats within the call), publishes the
 * rest (one span each, which starts the event's trace) and returns only once
 * the broker has them.
 */
export class AcceptEvents {
  constructor(
    private readonly eventIds: EventIdClaims,
    private readonly events: AcceptedEvents,
    private readonly clock: Clock,
    private readonly newEventId: () => EventId,
  ) {}

  async execute(commands: AcceptCommand[], source: AcceptSource): Promise<AcceptResult[]> {
    const now = this.clock.now().toISOString();
    const envelopes: EventEnvelope[] = commands.map(({ input, schemaViolations }) => ({
      id: input.id ?? this.newEventId(),
      tenantId: input.tenantId,
      type: input.type,
      data: input.data,
      occurredAt: input.occurredAt ? new Date(input.occurredAt).toISOString() : now,
      receivedAt: now,
      ...(schemaViolations?.length ? { schemaViolations } : {}),
    }));

    const published = await this.eventIds.claimWhile(
      envelopes.map((e) => ({ tenantId: e.tenantId, eventId: e.id })),
      async (fresh) => {
        const seenInCall = new Set<string>();
        const chosen: number[] = [];
        envelopes.forEach((event, index) => {
          const key = keyOf({ tenantId: event.tenantId, eventId: event.id });
          if (fresh.has(key) && !seenInCall.has(key)) chosen.push(index);
          seenInCall.add(key);
        });
        await this.events.send(
          EventsAcceptedTopic,
          chosen.map((index) => traced(envelopes[index], commands[index].parentContext, source)),
        );
        return new Set(chosen);
      },
    );

    accepted.inc({ source }, published.size);
    duplicates.inc({ source }, envelopes.length - published.size);
    return envelopes.map((event, index) => ({ id: event.id, duplicate: !published.has(index) }));
  }
}

/** The message for one accepted event; its span starts the event's trace (or continues the producer's). */
function traced(event: EventEnvelope, parent: Context | undefined, source: string): OutgoingMessage<typeof EventsAcceptedTopic> {
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
