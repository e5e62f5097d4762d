import { z } from 'zod';
import { defineTopic } from './topic-contract';

export const DeliveryExhaustedSchema = z.object({
  deliveryId: z.string(),
  tenantId: z.string(),
  endpointId: z.string(),
  eventId: z.string(),
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
  description: 'deliveries that will not be retried again (dead); consumed by log-store',
});
