import type { RouteDoc } from '@hookline/service-kit';
import { EventPath, EventQuery, EventViewSchema } from './event.dto';

/** The OpenAPI description of the event view. */
export const EventDocs = {
  get: {
    tag: 'Delivery log',
    summary: 'Get an event with all of its deliveries',
    description: 'Event ids are unique within a tenant: a global key names the tenant with `tenantId`, a tenant key may leave it out.',
    params: EventPath,
    query: EventQuery,
    responses: { 200: { description: 'the event as accepted, and each delivery made of it with its attempts', schema: EventViewSchema } },
  },
} satisfies Record<string, RouteDoc>;
