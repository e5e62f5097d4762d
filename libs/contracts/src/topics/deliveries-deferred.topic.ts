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
  /**
   * `endpoint_backlog`, `partition_share`; `paused` (held until the endpoint
   * is no longer paused) or `release_backlog` (a released request the
   * endpoint could not queue, back to the hold at its place); for the last
   * two `delayMs` is 0 and unused.
   */
  reason: z.string(),
  /** Present for a held request: the endpoint version the dispatcher saw paused (0 for `release_backlog`); it is released only on a state at this version or later that is not paused. */
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
