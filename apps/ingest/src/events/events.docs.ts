import { EventInputSchema } from '@hookline/contracts';
import type { RouteDoc } from '@hookline/service-kit';
import { z } from 'zod';
import { MAX_BATCH } from './event-input';

const tag = 'Events';

/** What ingest answers for each event: its id (given or generated) and whether it was seen within the last 24 h (then it is not delivered again). */
export const AcceptedEventSchema = z.object({ id: z.string(), duplicate: z.boolean() });

/** The batch body, as the controller checks it: the events field first, then each event with its index in the field names (`events.3.type`). */
export const EventBatchSchema = z.object({ events: z.array(EventInputSchema).min(1).max(MAX_BATCH) });

const example = { tenantId: 'acme', type: 'invoice.paid', id: 'evt_2026_0001', data: { invoiceId: 'inv_1', amount: 4200, currency: 'EUR' } };

/** The OpenAPI description of the event API. */
export const EventsDocs = {
  publishOne: {
    tag,
    summary: 'Send an event',
    description:
      'Accepted once it is on Kafka: it will be delivered to every subscribed endpoint of its tenant. Its `data` is checked against its type’s schema when the tenant set the type’s schema mode to `warn` or `enforce` (admin API, event catalog). An id seen within 24 h is accepted again with `duplicate: true` and not delivered twice.',
    body: EventInputSchema,
    bodyExample: example,
    responses: { 202: { description: 'accepted', schema: AcceptedEventSchema, example: { id: example.id, duplicate: false } } },
    errors: {
      413: 'the body is larger than the limit (README, "APIs")',
      422: '`schema_violation`: `data` breaks its type’s JSON Schema and the tenant enforces it; each issue’s field is a JSON pointer into the body (`/data/customer/tier`)',
    },
  },
  publishMany: {
    tag,
    summary: 'Send a batch of events',
    description: `1-${MAX_BATCH} events; all are accepted or none (a bad one is named by its index, e.g. \`events.3.type\`).`,
    body: EventBatchSchema,
    bodyExample: { events: [example] },
    responses: { 202: { description: 'accepted, in the order sent', schema: z.object({ events: z.array(AcceptedEventSchema) }) } },
    errors: {
      413: 'the body is larger than the limit (README, "APIs")',
      422: '`schema_violation`: an event breaks its type’s enforced schema; none is accepted (`/events/3/data/priority`)',
    },
  },
} satisfies Record<string, RouteDoc>;
