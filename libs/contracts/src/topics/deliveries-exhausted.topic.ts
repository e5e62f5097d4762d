import { z } from 'zod';
import { DeliveryIdSchema, EndpointIdSchema, EventIdSchema, TenantIdSchema } from '../ids/ids';
import { MessagesDeadLetteredTopic } from './messages-dead-lettered.topic';
import { defineTopic } from './topic-contract';

export const DeliveryExhaustedSchema = z.object({
  deliveryId: DeliveryIdSchema,
  tenantId: TenantIdSchema,
  endpointId: EndpointIdSchema,
  eventId: EventIdSchema,
  eventType: z.string(),
  /** When the event was accepted: the delivery's creation time in the log. */
  eventReceivedAt: z.string(),
  attempts: z.number().int(),
  reason: z.string(),
  exhaustedAt: z.string(),
});
export type DeliveryExhausted = z.infer<typeof DeliveryExhaustedSchema>;

export const DeliveriesExhaustedTopic = defineTopic({
  name: 'hookline.deliveries.exhausted.v1',
  schema: DeliveryExhaustedSchema,
  key: (d) => d.endpointId,
  deadLetterTopic: MessagesDeadLetteredTopic,
  description: 'deliveries that will not be retried again (dead); consumed by log-store',
});
