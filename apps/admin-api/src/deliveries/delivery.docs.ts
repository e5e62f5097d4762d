import type { RouteDoc } from '@hookline/service-kit';
import { DeliveryDetailViewSchema, DeliveryPageSchema, DeliveryPath, ListDeliveriesQuery, TenantQuery } from './delivery.dto';

const tag = 'Delivery log';

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
} satisfies Record<string, RouteDoc>;
