import type { RouteDoc } from '@hookline/service-kit';
import { z } from 'zod';
import { DeliveryDetailViewSchema, DeliveryPageSchema, DeliveryPath, ListDeliveriesQuery, TenantQuery } from './delivery.dto';

const tag = 'Delivery log';

/** The body of a retry-now: nothing (an empty object at most), as for a replay. */
export const RetryNowBodySchema = z.object({}).strict();

/** The OpenAPI description of the delivery-log routes. */
export const DeliveryDocs = {
  list: {
    tag,
    summary: 'List deliveries',
    description:
      'Deliveries with every attempt, newest first, filtered by endpoint, event, event type, status and creation time. A tenant key sees its own tenant only; a global key may name `tenantId`.',
    query: ListDeliveriesQuery,
    responses: { 200: { description: 'a page of deliveries', schema: DeliveryPageSchema } },
  },
  get: {
    tag,
    summary: 'Get a delivery with its attempts',
    description:
      'The delivery with every attempt, and `nextAttempt`: the attempt scheduled next while its chain is not over (its number and due time, or held while the endpoint is paused).',
    params: DeliveryPath,
    query: TenantQuery,
    responses: { 200: { description: 'the delivery', schema: DeliveryDetailViewSchema } },
  },
  retryNow: {
    // Beside replay in the document: both are how an operator resends a delivery.
    tag: 'Replay and recovery',
    summary: 'Retry a failing delivery now',
    description:
      'Makes the retry scheduled for a delivery whose chain is not over due now, instead of at its time in the retry policy (which can be hours away): the same attempt, with the same `webhook-id` and `Idempotency-Key`, sent within the retry-scheduler’s next poll. Nothing else changes: the chain keeps its attempt numbers and the rest of its policy.',
    params: DeliveryPath,
    query: TenantQuery,
    body: RetryNowBodySchema,
    bodyRequired: false,
    responses: {
      202: {
        description: 'the scheduled attempt is due now: its number',
        schema: z.object({ deliveryId: DeliveryPath.shape.id, attempt: z.number().int() }),
      },
    },
    errors: {
      409: 'no retry is scheduled for the delivery (`delivery_not_scheduled`: it is not waiting for a retry; replay it if it has succeeded or is dead), or it is held while its endpoint is paused (`endpoint_paused`: resume the endpoint first)',
    },
  },
} satisfies Record<string, RouteDoc>;
