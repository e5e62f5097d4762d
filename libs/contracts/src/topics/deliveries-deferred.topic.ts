import { z } from 'zod';
import { DeliveryRequestSchema } from './deliveries-requested.topic';
import { MessagesDeadLetteredTopic } from './messages-dead-lettered.topic';
import { defineTopic } from './topic-contract';

/**
 * Delivery requests the dispatcher did not attempt because their endpoint's
 * queue was full (a slow or dead endpoint). The retry-scheduler holds them for
 * `delayMs` and re-issues them with the same attempt number, so a backlog for
 * one endpoint never fills a partition and stalls the others.
 */
export const DeliveryDeferredSchema = z.object({
  request: DeliveryRequestSchema,
  delayMs: z.number().int().min(0),
  /** `endpoint_backlog`, `partition_share`, or `paused`: held until the endpoint is no longer paused (then `delayMs` is 0 and unused). */
  reason: z.string(),
  /** For `paused`: the endpoint version the dispatcher saw paused; the hold ends only on a state at this version or later. */
  heldAtVersion: z.number().int().optional(),
});
export type DeliveryDeferred = z.infer<typeof DeliveryDeferredSchema>;

export const DeliveriesDeferredTopic = defineTopic({
  name: 'hookline.deliveries.deferred.v1',
  schema: DeliveryDeferredSchema,
  key: (d) => d.request.endpointId,
  deadLetterTopic: MessagesDeadLetteredTopic,
  description: 'delivery requests parked because their endpoint was saturated; re-issued by retry-scheduler',
});
