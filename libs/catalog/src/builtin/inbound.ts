// The events inbound sources make of providers' callbacks
// (`inbound.<provider>.<kind>`, README "Inbound webhooks"). Their schemas are
// derived from each kind's example in @hookline/inbound: every field of the
// example is declared with its JSON type (so conditions and filters can name
// it), and none is required, since providers leave fields out as they please
// and an inbound event must never be refused for it.
import { PROVIDER_KINDS } from '@hookline/inbound';
import type { BuiltinEventType, JsonSchema } from './builtin-event-type';
import { JSON_SCHEMA_2020_12 } from './schema-parts';

const GROUP = 'inbound';

/** The JSON Schema type of a value of the example, with its fields (objects) or items (arrays) declared the same way. */
function schemaOf(value: unknown): JsonSchema {
  if (value === null) return {};
  if (Array.isArray(value)) return value.length > 0 ? { type: 'array', items: schemaOf(value[0]) } : { type: 'array' };
  if (typeof value === 'object') return { type: 'object', properties: propertiesOf(value as Record<string, unknown>) };
  if (typeof value === 'number') return { type: Number.isInteger(value) ? 'integer' : 'number' };
  return { type: typeof value };
}

function propertiesOf(example: Record<string, unknown>): Record<string, JsonSchema> {
  return Object.fromEntries(Object.entries(example).map(([key, value]) => [key, schemaOf(value)]));
}

export const INBOUND_EVENT_TYPES: BuiltinEventType[] = Object.entries(PROVIDER_KINDS).flatMap(([provider, kinds]) =>
  kinds.map((k) => {
    const name = `inbound.${provider}.${k.kind}`;
    return {
      name,
      group: GROUP,
      description: k.description,
      schema: {
        $schema: JSON_SCHEMA_2020_12,
        title: name,
        description: k.description,
        type: 'object',
        properties: propertiesOf(k.example),
        additionalProperties: true,
      },
      example: k.example,
    };
  }),
);
