import type { SchemaMode } from '@hookline/contracts';
import { builtinEventType, type BuiltinEventType, type JsonSchema } from '@hookline/catalog';
import type { EventTypeRow } from './event-type.ports';

/** One type of a tenant's catalog as the API shows it: a built-in type (with the tenant's settings on it, if any) or a custom one. */
export interface CatalogEntry {
  name: string;
  group: string;
  source: 'builtin' | 'custom';
  description: string;
  schema: JsonSchema;
  example: Record<string, unknown> | null;
  version: number;
  schemaMode: SchemaMode;
  deprecated: boolean;
  /** When the tenant first set or created it; null for a built-in type it never touched. */
  createdAt: Date | null;
  updatedAt: Date | null;
}

/** A custom type's group is its name's first word (`order` for `order.shipped`). */
export const groupOf = (name: string): string => name.split('.')[0];

/** The entry for `name`: the built-in type under the tenant's settings, or the custom type; null when there is neither. */
export function catalogEntry(name: string, row: EventTypeRow | null): CatalogEntry | null {
  const builtin = builtinEventType(name);
  if (builtin) return builtinEntry(builtin, row);
  if (!row || row.builtin || !row.schema) return null;
  return {
    name,
    group: groupOf(name),
    source: 'custom',
    description: row.description,
    schema: row.schema,
    example: row.example,
    version: row.version,
    schemaMode: row.schemaMode,
    deprecated: row.deprecated,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

function builtinEntry(builtin: BuiltinEventType, row: EventTypeRow | null): CatalogEntry {
  return {
    name: builtin.name,
    group: builtin.group,
    source: 'builtin',
    description: builtin.description,
    schema: builtin.schema,
    example: builtin.example,
    version: 1,
    schemaMode: row?.schemaMode ?? 'off',
    deprecated: row?.deprecated ?? false,
    createdAt: row?.createdAt ?? null,
    updatedAt: row?.updatedAt ?? null,
  };
}
