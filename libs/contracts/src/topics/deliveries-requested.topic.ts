import { z } from 'zod';
import { EventEnvelopeSchema } from '../event/event.schema';
import { DeliveryIdSchema, EndpointIdSchema, TenantIdSchema } from '../ids/ids';
import { MessagesDeadLetteredTopic } from './messages-dead-lettered.topic';
import { defineTopic } from './topic-contract';

export const DeliveryRequestSchema = z.object({
  deliveryId: DeliveryIdSchema,
  tenantId: TenantIdSchema,
  endpointId: EndpointIdSchema,
  /**
   * The endpoint's config version when the delivery was routed. A dispatcher
   * holding an older version catches up first, so a change saved before the
   * event was accepted (a secret rotation, a new URL) applies to it.
   */
  endpointVersion: z.number().int(),
  /** 1-based number of the attempt this request asks for. */
  attempt: z.number().int().min(1),
  reason: z.enum(['initial', 'retry', 'replay']),
  /**
   * How often this attempt was already deferred because its endpoint was
   * saturated (absent: never, as in messages written before it existed). Each
   * deferral of the same attempt waits longer; a retry starts again from none.
   */
  deferrals: z.number().int().min(0).optional(),
  requestedAt: z.string(),
  event: EventEnvelopeSchema,
});
export type DeliveryRequest = z.infer<typeof DeliveryRequestSchema>;

export const DeliveriesRequestedTopic = defineTopic({
  name: 'hookline.deliveries.requested.v1',
  schema: DeliveryRequestSchema,
  key: (request) => request.endpointId,
  deadLetterTopic: MessagesDeadLetteredTopic,
  description: 'one request per delivery attempt to make, keyed by endpoint id',
});
