import type { SchemaMode, TenantId } from '@hookline/contracts';
import type { JsonSchema } from '@hookline/catalog';

/*
 * The ports of the event catalog's use cases: each takes the few methods it
 * needs (`Pick<EventTypeStore, …>`), so a unit spec fakes only those.
 */

/**
 * A tenant's row for one event type: a custom type (its current schema and
 * example), or the tenant's settings on a built-in type (`builtin`; schema and
 * example null, Hookline's own apply).
 */
export interface EventTypeRow {
  tenantId: TenantId;
  name: string;
  builtin: boolean;
  description: string;
  schema: JsonSchema | null;
  example: Record<string, unknown> | null;
  version: number;
  schemaMode: SchemaMode;
  deprecated: boolean;
  /** Counts every change; the compacted topic carries the highest. */
  revision: number;
  createdAt: Date;
  updatedAt: Date;
}

/** One schema a custom type has had. */
export interface EventTypeVersion {
  version: number;
  description: string;
  schema: JsonSchema;
  example: Record<string, unknown> | null;
  /** Null for a built-in type's one version. */
  createdAt: Date | null;
}

/** The fields a change may set; `version` set one higher records a new schema version. */
export type EventTypeChange = Pick<EventTypeRow, 'description' | 'schema' | 'example' | 'version' | 'schemaMode' | 'deprecated'>;

/** Event type rows (PostgreSQL). Changes of one type run under its row lock, one after another. */
export interface EventTypeStore {
  /** Inserts a custom type at version 1 with its first version; false when the tenant already has a row of that name. */
  insertCustom(row: Omit<EventTypeRow, 'revision' | 'createdAt' | 'updatedAt' | 'builtin' | 'version'>): Promise<EventTypeRow | null>;
  find(tenantId: TenantId, name: string): Promise<EventTypeRow | null>;
  /** Every row of the tenant, by name. */
  list(tenantId: TenantId): Promise<EventTypeRow[]>;
  countCustom(tenantId: TenantId): Promise<number>;
  /** Every schema version of a custom type, newest first. */
  versions(tenantId: TenantId, name: string): Promise<EventTypeVersion[]>;
  /**
   * Under the row's lock: `decide` sees the row (null if none) and returns the
   * fields to save, or null to leave it. A missing row is created (a built-in
   * type's settings). The revision goes up by one; a higher `version` records
   * the new schema in the versions. Answers the row as saved, or null if left.
   */
  change(tenantId: TenantId, name: string, decide: (row: EventTypeRow | null) => EventTypeChange | null, builtin: boolean): Promise<EventTypeRow | null>;
}

/** Puts a type's latest revision on the compacted topic, or leaves it to the relay when the broker fails. */
export interface EventTypePublication {
  executeOrDefer(tenantId: TenantId, name: string): Promise<void>;
}
