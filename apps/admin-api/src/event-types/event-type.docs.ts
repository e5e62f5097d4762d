import type { RouteDoc } from '@hookline/service-kit';
import { TenantParam } from '../endpoints/endpoint.dto';
import {
  CreateEventTypeSchema,
  EventTypeParams,
  EventTypeSummarySchema,
  EventTypeVersionViewSchema,
  EventTypeViewSchema,
  ListEventTypesQuery,
  PatchEventTypeSchema,
  ReplaceEventTypeSchema,
} from './event-type.dto';
import { z } from 'zod';

const tag = 'Event catalog';

const ticketSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  type: 'object',
  properties: { orderId: { type: 'string' }, carrier: { enum: ['ups', 'dhl', 'fedex'] }, shippedAt: { type: 'string', format: 'date-time' } },
  required: ['orderId', 'carrier'],
};

/** The OpenAPI description of the event catalog routes (README, "Event catalog"). */
export const EventTypeDocs = {
  list: {
    tag,
    summary: "List a tenant's event types",
    description: 'Every built-in type (under the tenant’s settings) and every custom type of the tenant, by name, without schemas.',
    params: TenantParam,
    query: ListEventTypesQuery,
    responses: { 200: { description: 'the catalog', schema: z.object({ data: z.array(EventTypeSummarySchema) }) } },
  },
  get: {
    tag,
    summary: 'Get an event type',
    description: 'Its JSON Schema (2020-12) of `data`, its example, its version and its settings.',
    params: EventTypeParams,
    responses: { 200: { description: 'the type', schema: EventTypeViewSchema } },
  },
  versions: {
    tag,
    summary: "An event type's schema versions",
    params: EventTypeParams,
    responses: { 200: { description: 'every version, newest first', schema: z.object({ data: z.array(EventTypeVersionViewSchema) }) } },
  },
  create: {
    tag,
    summary: 'Create a custom event type',
    description:
      'A type of the tenant’s own at version 1. The schema must compile (2020-12, no unknown keyword, no remote `$ref`; patterns run on RE2) and the example must validate against it.',
    params: TenantParam,
    body: CreateEventTypeSchema,
    bodyExample: { name: 'order.shipped', description: 'An order left the warehouse', schema: ticketSchema, example: { orderId: 'ord_1042', carrier: 'dhl' } },
    responses: { 201: { description: 'the type', schema: EventTypeViewSchema } },
    errors: { 409: 'a type of that name exists (built-in or custom)', 422: 'the tenant has 1,000 custom types already' },
  },
  replace: {
    tag,
    summary: 'A new version of a custom event type',
    description: 'Replaces the schema, example and description; a different schema is the next version, and ingest checks events against it from then on.',
    params: EventTypeParams,
    body: ReplaceEventTypeSchema,
    bodyExample: { description: 'An order left the warehouse', schema: ticketSchema, example: { orderId: 'ord_1042', carrier: 'ups' } },
    responses: { 200: { description: 'the type as saved', schema: EventTypeViewSchema } },
    errors: { 409: 'a built-in type: its schema is Hookline’s' },
  },
  patch: {
    tag,
    summary: "Change an event type's settings",
    description:
      '`schemaMode`: what ingest does with an event whose `data` fails the schema (`off`, `warn`: accepted and flagged in the log, `enforce`: refused with 422, or dead-lettered from Kafka). `deprecated` marks a type not to be used for new work. Built-in types take both; custom types also a description.',
    params: EventTypeParams,
    body: PatchEventTypeSchema,
    bodyExample: { schemaMode: 'enforce' },
    responses: { 200: { description: 'the type as changed', schema: EventTypeViewSchema } },
  },
} satisfies Record<string, RouteDoc>;
