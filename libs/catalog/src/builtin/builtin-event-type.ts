/** A JSON Schema (2020-12) document, as stored and served: plain JSON. */
export type JsonSchema = { [key: string]: unknown };

/**
 * An event type Hookline ships with: every tenant sees it in its catalog
 * without creating it. `schema` describes the event's `data` (not the
 * envelope), and `example` is a `data` that validates against it: test mode
 * and trial runs send it when no `data` is given.
 */
export interface BuiltinEventType {
  /** Dotted lower-case name, e.g. `invoice.paid`. */
  name: string;
  /** The family it belongs to in the catalog, e.g. `billing`, `tickets`. */
  group: string;
  description: string;
  schema: JsonSchema;
  example: Record<string, unknown>;
}
