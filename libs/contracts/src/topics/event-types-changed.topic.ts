import { z } from 'zod';
import { EVENT_TYPE } from '../event/event.schema';
import { TenantIdSchema } from '../ids/ids';
import { defineTopic } from './topic-contract';

/**
 * What ingest does with an event whose `data` fails its type's schema:
 * `off` does not check, `warn` accepts it and records the violations with the
 * event, `enforce` refuses it (HTTP 422, or the ingestion dead-letter topic).
 */
export const SCHEMA_MODES = ['off', 'warn', 'enforce'] as const;
export const SchemaModeSchema = z.enum(SCHEMA_MODES);
export type SchemaMode = z.infer<typeof SchemaModeSchema>;

/**
 * One tenant's settings for one event type, as ingest needs them: a custom
 * type with its current schema, or a built-in type (schema null: the schema
 * is Hookline's own, libs/catalog) whose mode the tenant set. A type with no
 * record is not checked. Tombstone (null value) = the tenant's record is gone.
 */
export const EventTypeConfigSchema = z.object({
  tenantId: TenantIdSchema,
  name: EVENT_TYPE,
  /** The custom type's JSON Schema (2020-12) of `data` at `version`; null for a built-in type. */
  schema: z.record(z.string(), z.unknown()).nullable(),
  /** The schema's version: 1 at creation, one more for each new schema. */
  version: z.number().int().min(1),
  schemaMode: SchemaModeSchema,
  deprecated: z.boolean(),
  /** Increases with every change of the record; the topic ends on the highest. */
  revision: z.number().int().min(1),
  updatedAt: z.string(),
});
export type EventTypeConfig = z.infer<typeof EventTypeConfigSchema>;

/** The key of a tenant's record for an event type: tenant ids cannot hold a NUL. */
export function eventTypeKey(tenantId: string, name: string): string {
  return `${tenantId}\u0000${name}`;
}

export const EventTypesChangedTopic = defineTopic({
  name: 'hookline.event-types.changed.v1',
  schema: EventTypeConfigSchema,
  key: (config) => eventTypeKey(config.tenantId, config.name),
  compacted: true,
  description: "compacted event catalog settings per tenant (custom types' schemas, schema modes), keyed by tenant and type name; null value = removed",
});
