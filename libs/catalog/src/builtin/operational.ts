// Hookline's own operational events: an endpoint was disabled, enabled, paused
// or resumed, or a delivery was given up. Their schemas and examples are not
// written here but derived from the payload schemas and the examples in
// @hookline/contracts, so the catalog cannot drift from what Hookline sends.
import {
  DeliveryExhaustedEventDataSchema,
  EndpointStateEventDataSchema,
  OPERATIONAL_EVENT_EXAMPLES,
  OPERATIONAL_EVENT_TYPES,
  type OperationalEventType,
} from '@hookline/contracts';
import { z } from 'zod';
import type { BuiltinEventType, JsonSchema } from './builtin-event-type';

const GROUP = 'hookline';

const ENDPOINT_STATE_FIELDS = {
  endpoint: 'The endpoint the event is about: its id, URL and description. The event is never delivered to that endpoint.',
  state: 'State of the endpoint after the change.',
  previousState: 'State of the endpoint before the change.',
  cause: '`operator` (through the API), `gone` (the endpoint answered 410 Gone) or `failure_threshold` (too many deliveries in a row failed).',
  actor: 'For `cause: "operator"`: the API key or token that asked; otherwise null.',
  reason: 'A sentence for a human, e.g. "10 deliveries in a row failed", or the operator\'s own reason.',
  changedAt: 'When the state changed (ISO 8601).',
};

const OPERATIONAL: Record<OperationalEventType, { schema: z.ZodType; description: string; fields: Record<string, string> }> = {
  'endpoint.disabled': {
    schema: EndpointStateEventDataSchema,
    description:
      'An endpoint was disabled, by an operator, because it answered 410 Gone, or after too many failed deliveries in a row. Nothing is delivered to it until it is enabled.',
    fields: ENDPOINT_STATE_FIELDS,
  },
  'endpoint.enabled': {
    schema: EndpointStateEventDataSchema,
    description: 'A disabled endpoint was enabled again; deliveries to it start again.',
    fields: ENDPOINT_STATE_FIELDS,
  },
  'endpoint.paused': {
    schema: EndpointStateEventDataSchema,
    description: 'An operator paused an endpoint: its deliveries are held, not failed, until it is resumed.',
    fields: ENDPOINT_STATE_FIELDS,
  },
  'endpoint.resumed': {
    schema: EndpointStateEventDataSchema,
    description: 'A paused endpoint was resumed; the deliveries held for it flow again.',
    fields: ENDPOINT_STATE_FIELDS,
  },
  'delivery.exhausted': {
    schema: DeliveryExhaustedEventDataSchema,
    description:
      'A delivery was given up: every attempt of its retry policy failed, or the endpoint answered 410 Gone. At most one is sent per endpoint per interval (5 minutes by default); the deliveries given up in between are counted in `alsoExhausted`.',
    fields: {
      endpoint: 'The endpoint the delivery was for. The event is never delivered to that endpoint.',
      delivery: 'The delivery given up: its id, the id and type of the event it carried, how many attempts were made, why it was given up, and when.',
      alsoExhausted:
        'Deliveries to the same endpoint given up since the previous `delivery.exhausted` about it without an event of their own (0 for the first).',
    },
  },
};

/**
 * The catalog schema of an operational event: zod 4's own JSON Schema of the
 * payload (it compiles as is with Ajv in strict mode), with two changes
 * that leave what it accepts for Hookline's payloads unchanged:
 * - `title` and `description`, and a `description` on each top-level field
 *   (the zod schemas document their fields in comments, which zod cannot see);
 * - `additionalProperties: true` at the top level instead of zod's `false`,
 *   like every built-in type (index.ts), so that a field Hookline adds later
 *   does not make stored copies of the schema refuse newer events. Nested
 *   objects keep zod's `additionalProperties: false`.
 * Describing a field the zod schema does not have throws, so a renamed field
 * cannot leave a stale description behind.
 */
function catalogSchema(name: OperationalEventType): JsonSchema {
  const { schema, description, fields } = OPERATIONAL[name];
  const derived = z.toJSONSchema(schema, { target: 'draft-2020-12' }) as JsonSchema;
  const properties = { ...(derived.properties as Record<string, JsonSchema>) };
  for (const [field, text] of Object.entries(fields)) {
    if (!properties[field]) throw new Error(`${name}: the payload schema has no field "${field}" to describe`);
    properties[field] = { ...properties[field], description: text };
  }
  return { ...derived, title: name, description, properties, additionalProperties: true };
}

export const HOOKLINE_EVENT_TYPES: readonly BuiltinEventType[] = OPERATIONAL_EVENT_TYPES.map((name) => ({
  name,
  group: GROUP,
  description: OPERATIONAL[name].description,
  schema: catalogSchema(name),
  // A copy, so that nothing done to the catalog entry reaches the contracts' constant.
  example: structuredClone(OPERATIONAL_EVENT_EXAMPLES[name].data) as Record<string, unknown>,
}));
