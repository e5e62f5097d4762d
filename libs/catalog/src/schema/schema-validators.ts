import type Ajv2020 from 'ajv/dist/2020';
import { createAjv, violationsOf, type JsonSchema, type SchemaViolation, type ValidateFunction } from './json-schema';

/** What checking `data` against a schema found: its violations (none: valid), or why the schema itself cannot be used. */
export type SchemaCheck = { ok: true; violations: SchemaViolation[] } | { ok: false; unusable: string };

/**
 * Compiled validators, one per schema version, compiled on first use and kept
 * (at most `maxEntries`, the least recently used one dropped first). The key
 * names a schema version (e.g. tenant, type and version): the schema passed
 * with a key already compiled is not looked at again, so a new schema must
 * come with a new key.
 */
export class SchemaValidators {
  private readonly ajv: Ajv2020 = createAjv();
  private readonly compiled = new Map<string, { validate: ValidateFunction; schema: JsonSchema } | { unusable: string }>();

  constructor(private readonly maxEntries = 5_000) {}

  check(key: string, schema: JsonSchema, data: unknown): SchemaCheck {
    const entry = this.entryFor(key, schema);
    if ('unusable' in entry) return { ok: false, unusable: entry.unusable };
    return { ok: true, violations: entry.validate(data) ? [] : violationsOf(entry.validate.errors) };
  }

  /** Validators held now (for tests and metrics). */
  get size(): number {
    return this.compiled.size;
  }

  private entryFor(key: string, schema: JsonSchema) {
    const held = this.compiled.get(key);
    if (held) {
      // Most recently used last: a Map iterates in insertion order.
      this.compiled.delete(key);
      this.compiled.set(key, held);
      return held;
    }
    const compiledSchema = addressless(schema);
    let entry: { validate: ValidateFunction; schema: JsonSchema } | { unusable: string };
    try {
      entry = { validate: this.ajv.compile(compiledSchema), schema: compiledSchema };
    } catch (err) {
      entry = { unusable: (err as Error).message };
    }
    this.compiled.set(key, entry);
    while (this.compiled.size > this.maxEntries) this.evict(this.compiled.keys().next().value as string);
    return entry;
  }

  private evict(key: string): void {
    const entry = this.compiled.get(key);
    this.compiled.delete(key);
    // Ajv keeps every compiled schema itself too; let it go with ours.
    if (entry && 'schema' in entry) this.ajv.removeSchema(entry.schema);
  }
}

/**
 * Why a schema cannot be a type's schema, or null if it can: it must be an
 * object that compiles under Hookline's Ajv (2020-12, strict, no remote
 * `$ref`). A fresh Ajv per check, so a refused schema leaves nothing behind.
 */
export function schemaProblem(schema: unknown): string | null {
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) return 'must be a JSON Schema object';
  const declared = (schema as { $schema?: unknown }).$schema;
  if (declared !== undefined && declared !== DRAFT_2020_12) return `$schema must be "${DRAFT_2020_12}" (JSON Schema 2020-12) or absent`;
  try {
    createAjv().compile(addressless(schema as JsonSchema));
    return null;
  } catch (err) {
    return (err as Error).message;
  }
}

export const DRAFT_2020_12 = 'https://json-schema.org/draft/2020-12/schema';

/**
 * The schema without its top-level `$id`: a type's schema is addressed by its
 * tenant, name and version, and two versions declaring one `$id` must not
 * collide in Ajv's registry.
 */
function addressless(schema: JsonSchema): JsonSchema {
  if (!('$id' in schema)) return schema;
  const { $id: _ignored, ...rest } = schema;
  return rest;
}

/** Checks `data` against a schema compiled for this call alone (saving a type's example); the schema must pass `schemaProblem`. */
export function violationsAgainst(schema: JsonSchema, data: unknown): SchemaViolation[] {
  const validate = createAjv().compile(addressless(schema));
  return validate(data) ? [] : violationsOf(validate.errors);
}
