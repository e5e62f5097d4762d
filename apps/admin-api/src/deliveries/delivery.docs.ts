import type { RouteDoc } from '@hookline/service-kit';
import { DeliveryPageSchema, DeliveryPath, DeliveryViewSchema, ListDeliveriesQuery, TenantQuery } from './delivery.dto';

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
    params: DeliveryPath,
    query: TenantQuery,
    responses: { 200: { description: 'the delivery', schema: DeliveryViewSchema } },
  },
} satisfies Record<string, RouteDoc>;
