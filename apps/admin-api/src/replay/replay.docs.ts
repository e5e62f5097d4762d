import type { RouteDoc } from '@hookline/service-kit';
import { z } from 'zod';
import { DeliveryPath, DeliveryViewSchema, TenantQuery } from '../deliveries/delivery.dto';

/** The body of a replay: nothing (an empty object at most). */
export const ReplayBodySchema = z.object({}).strict();

/** The OpenAPI description of a replay. */
export const ReplayDocs = {
  replay: {
    tag: 'Replay and recovery',
    summary: 'Replay a delivery',
    description:
      'One more attempt chain for a `succeeded` or `dead` delivery: the same `webhook-id` and `Idempotency-Key` (the receiver’s dedup still works), attempt numbers after the last, and the endpoint’s whole retry policy again. The log shows who replayed it on each attempt.',
    params: DeliveryPath,
    query: TenantQuery,
    body: ReplayBodySchema,
    bodyRequired: false,
    responses: {
      202: {
        description: 'the replay is on its way: the attempt number it starts with, and the delivery as it is now',
        schema: z.object({ attempt: z.number().int(), delivery: DeliveryViewSchema }),
      },
    },
    errors: {
      409: 'the delivery is still being tried (`delivery_in_progress`), its endpoint is deleted or disabled, or retention removed its event',
    },
  },
} satisfies Record<string, RouteDoc>;
