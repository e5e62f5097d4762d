import { EVENT_TYPE, SchemaModeSchema, TenantIdSchema, isOperationalEventType } from '@hookline/contracts';
import { z } from 'zod';
import type { CatalogEntry } from './catalog-entry';

const DESCRIPTION = z.string().max(1024, 'must be at most 1024 characters');
const JSON_SCHEMA = z
  .record(z.string(), z.unknown(), { error: 'must be a JSON Schema (2020-12) object' })
  .refine((schema) => JSON.stringify(schema).length <= 64 * 1024, 'must be at most 64 KiB as JSON');
const EXAMPLE = z.record(z.string(), z.unknown(), { error: 'must be a JSON object (an event’s data)' }).nullable();

export const EventTypeParams = z.object({ tenantId: TenantIdSchema, name: EVENT_TYPE });

/** `POST /v1/tenants/:tenantId/event-types`: a custom type. */
export const CreateEventTypeSchema = z
  .object({
    name: EVENT_TYPE.refine((name) => !isOperationalEventType(name), 'is one of Hookline’s own operational event types'),
    description: DESCRIPTION.default(''),
    schema: JSON_SCHEMA,
    example: EXAMPLE.default(null),
    schemaMode: SchemaModeSchema.default('off'),
  })
  .strict();
export type CreateEventTypeInput = z.infer<typeof CreateEventTypeSchema>;

/** `PUT …/event-types/:name`: a custom type's schema, example and description; a different schema is a new version. */
export const ReplaceEventTypeSchema = z
  .object({
    description: DESCRIPTION,
    schema: JSON_SCHEMA,
    example: EXAMPLE.default(null),
  })
  .strict();
export type ReplaceEventTypeInput = z.infer<typeof ReplaceEventTypeSchema>;

/** `PATCH …/event-types/:name`: the settings, on a built-in type as on a custom one (a description only on a custom one). */
export const PatchEventTypeSchema = z
  .object({
    schemaMode: SchemaModeSchema.optional(),
    deprecated: z.boolean().optional(),
    description: DESCRIPTION.optional(),
  })
  .strict()
  .refine((patch) => Object.keys(patch).length > 0, 'must set at least one of schemaMode, deprecated, description');
export type PatchEventTypeInput = z.infer<typeof PatchEventTypeSchema>;

export const ListEventTypesQuery = z
  .object({
    group: z.string().max(64).optional(),
    source: z.enum(['builtin', 'custom']).optional(),
    deprecated: z.enum(['true', 'false']).optional(),
  })
  .strict();

const SUMMARY = {
  name: z.string(),
  group: z.string().meta({ description: 'the family it belongs to: `billing`, `tickets`, … for built-in types, the name’s first word for custom ones' }),
  source: z.enum(['builtin', 'custom']),
  description: z.string(),
  version: z.number().int().meta({ description: 'the schema’s version: 1 at creation, one more for each new schema (built-in types: 1)' }),
  schemaMode: SchemaModeSchema.meta({
    description: 'what ingest does with an event that fails the schema: off, warn (accepted and flagged), enforce (refused)',
  }),
  deprecated: z.boolean(),
  updatedAt: z.string().nullable(),
};

export const EventTypeSummarySchema = z.object(SUMMARY);
export const EventTypeViewSchema = z.object({
  ...SUMMARY,
  schema: z.record(z.string(), z.unknown()).meta({ description: 'JSON Schema (2020-12) of the event’s `data`' }),
  example: z.record(z.string(), z.unknown()).nullable().meta({ description: 'a `data` that validates; test sends and trial runs use it when given none' }),
  createdAt: z.string().nullable(),
});
export const EventTypeVersionViewSchema = z.object({
  version: z.number().int(),
  description: z.string(),
  schema: z.record(z.string(), z.unknown()),
  example: z.record(z.string(), z.unknown()).nullable(),
  createdAt: z.string().nullable().meta({ description: 'null for a built-in type' }),
});

export function toEventTypeSummary(e: CatalogEntry): z.output<typeof EventTypeSummarySchema> {
  const { name, group, source, description, version, schemaMode, deprecated } = e;
  return { name, group, source, description, version, schemaMode, deprecated, updatedAt: e.updatedAt?.toISOString() ?? null };
}

export function toEventTypeView(e: CatalogEntry): z.output<typeof EventTypeViewSchema> {
  return { ...toEventTypeSummary(e), schema: e.schema, example: e.example, createdAt: e.createdAt?.toISOString() ?? null };
}
