import { Inject, Injectable } from '@nestjs/common';
import { DeliveriesRequestedTopic, deliveryIdFor, type DeliveryRequest, type EventEnvelope } from '@hookline/contracts';
import type { BatchingProducer, OutgoingMessage } from '@hookline/kafka';
import { PRODUCER } from '@hookline/service-kit';
import { SpanKind, traceHeaders, tracer, type Context } from '@hookline/telemetry';
import { Counter } from 'prom-client';
import { EndpointDirectory } from '../endpoints/endpoint.directory';

export interface RoutedEvent {
  event: EventEnvelope;
  context: Context;
}

const requested = new Counter({ name: 'hookline_deliveries_requested_total', help: 'Delivery requests produced by fan-out' });

/**
 * One delivery request per subscribed, enabled endpoint of the event's tenant,
 * keyed by endpoint id. Delivery ids derive from event and endpoint, so a
 * redone batch produces the same deliveries, never new ones.
 */
@Injectable()
export class FanOut {
  constructor(
    private readonly directory: EndpointDirectory,
    @Inject(PRODUCER) private readonly producer: BatchingProducer,
  ) {}

  async execute(events: RoutedEvent[]): Promise<number> {
    // Endpoints saved before these events were accepted must be seen.
    await this.directory.syncToLatest();
    const now = new Date().toISOString();
    const messages: OutgoingMessage<typeof DeliveriesRequestedTopic>[] = [];
    for (const { event, context } of events) {
      const endpoints = this.directory.subscribersOf(event.tenantId, event.type);
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
    await this.producer.send(DeliveriesRequestedTopic, messages);
    requested.inc(messages.length);
    return messages.length;
  }
}
