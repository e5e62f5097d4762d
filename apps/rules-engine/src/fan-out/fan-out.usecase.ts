import { DeliveriesRequestedTopic, deliveryIdFor, subjectEndpointOf, type DeliveryRequest, type EndpointConfig, type EventEnvelope } from '@hookline/contracts';
import type { OutgoingMessage } from '@hookline/kafka';
import { SpanKind, traceHeaders, tracer, type Context } from '@hookline/telemetry';
import { Counter } from 'prom-client';

/** The endpoints of each tenant, as of the latest change saved. */
export interface Subscribers {
  /** Resolves once every endpoint change saved before the call is visible. */
  syncToLatest(): Promise<void>;
  /** The enabled endpoints of the event's tenant subscribed to its type whose filter it matches. */
  subscribersOf(event: EventEnvelope): EndpointConfig[];
}

/** Where delivery requests go; resolves once the broker has them. */
export interface DeliveryRequests {
  send(topic: typeof DeliveriesRequestedTopic, messages: OutgoingMessage<typeof DeliveriesRequestedTopic>[]): Promise<void>;
}

export interface Clock {
  now(): Date;
}

export interface RoutedEvent {
  event: EventEnvelope;
  context: Context;
}

const requested = new Counter({ name: 'hookline_deliveries_requested_total', help: 'Delivery requests produced by fan-out' });

/**
 * One delivery request per subscribed, enabled endpoint of the event's tenant
 * whose filter it matches (never the endpoint an operational event is about), keyed by endpoint id. Delivery ids derive from event and endpoint, so a
 * redone batch produces the same deliveries, never new ones.
 */
export class FanOut {
  constructor(
    private readonly subscribers: Subscribers,
    private readonly requests: DeliveryRequests,
    private readonly clock: Clock,
  ) {}

  async execute(events: RoutedEvent[]): Promise<number> {
    // Endpoints saved before these events were accepted must be seen.
    await this.subscribers.syncToLatest();
    const now = this.clock.now().toISOString();
    const messages: OutgoingMessage<typeof DeliveriesRequestedTopic>[] = [];
    for (const { event, context } of events) {
      // An operational event about an endpoint never goes to that endpoint: it may be the one failing, and it must not feed itself.
      const subject = subjectEndpointOf(event);
      const endpoints = this.subscribers.subscribersOf(event).filter((e) => e.id !== subject);
      const span = tracer().startSpan(
        'route event',
        {
          kind: SpanKind.CONSUMER,
          attributes: {
            'hookline.tenant_id': event.tenantId,
            'hookline.event_id': event.id,
            'hookline.event_type': event.type,
            'hookline.targets': endpoints.length,
          },
        },
        context,
      );
      const headers = traceHeaders(span);
      for (const endpoint of endpoints) {
        const request: DeliveryRequest = {
          deliveryId: deliveryIdFor(event.tenantId, event.id, endpoint.id),
          tenantId: event.tenantId,
          endpointId: endpoint.id,
          endpointVersion: endpoint.version,
          attempt: 1,
          reason: 'initial',
          requestedAt: now,
          event,
        };
        messages.push({ value: request, headers });
      }
      span.end();
    }
    await this.requests.send(DeliveriesRequestedTopic, messages);
    requested.inc(messages.length);
    return messages.length;
  }
}
