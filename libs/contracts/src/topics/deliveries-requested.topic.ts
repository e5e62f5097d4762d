import { z } from 'zod';
import { EventEnvelopeSchema } from '../event/event.schema';
import { defineTopic } from './topic-contract';

export const DeliveryRequestSchema = z.object({
  deliveryId: z.string(),
  tenantId: z.string(),
  endpointId: z.string(),
  /** 1-based number of the attempt this request asks for. */
  attempt: z.number().int().min(1),
  reason: z.enum(['initial', 'retry', 'replay']),
  requestedAt: z.string(),
  event: EventEnvelopeSchema,
});
export type DeliveryRequest = z.infer<typeof DeliveryRequestSchema>;

export const DeliveriesRequestedTopic = defineTopic({
  name: 'hookline.deliveries.requested.v1',
  schema: DeliveryRequestSchema,
  key: (request) => request.endpointId,
  description: 'one request per delivery attempt to make, keyed by endpoint id',
});
