// Building blocks shared by the built-in event families: the top-level shape
// every built-in schema has, and the sub-schemas several families use
// (timestamps, money, references to a customer or to a member of staff).
import type { JsonSchema } from './builtin-event-type';

export const JSON_SCHEMA_2020_12 = 'https://json-schema.org/draft/2020-12/schema';

/** The customer tiers Hookline's users segment on, cheapest first (automations match on them, e.g. "tier in [gold, platinum]"). */
export const CUSTOMER_TIERS = ['free', 'starter', 'pro', 'gold', 'platinum', 'enterprise'] as const;

export const PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;

/**
 * The `data` schema of a built-in event type: an object with the given
 * properties, of which `required` must be present. Extra top-level fields are
 * allowed (see index.ts). The result is a fresh tree, so schemas built from the
 * same parts share no objects.
 */
export function eventSchema(name: string, description: string, properties: Record<string, JsonSchema>, required: readonly string[]): JsonSchema {
  return structuredClone({
    $schema: JSON_SCHEMA_2020_12,
    title: name,
    description,
    type: 'object',
    properties,
    required: [...new Set(required)],
    additionalProperties: true,
  });
}

export const id = (description: string): JsonSchema => ({ type: 'string', minLength: 1, description });
export const text = (description: string): JsonSchema => ({ type: 'string', description });
export const nullableText = (description: string): JsonSchema => ({ type: ['string', 'null'], description });
export const dateTime = (description: string): JsonSchema => ({ type: 'string', format: 'date-time', description });
export const nullableDateTime = (description: string): JsonSchema => ({ type: ['string', 'null'], format: 'date-time', description });
export const date = (description: string): JsonSchema => ({ type: 'string', format: 'date', description });
export const url = (description: string): JsonSchema => ({ type: 'string', format: 'uri', description });
export const integer = (description: string, minimum = 0): JsonSchema => ({ type: 'integer', minimum, description });
export const oneOfStrings = (values: readonly string[], description: string): JsonSchema => ({ type: 'string', enum: [...values], description });
export const constant = (value: string, description: string): JsonSchema => ({ type: 'string', const: value, description });

/** The same object schema, or `null`. */
export function nullable(schema: JsonSchema): JsonSchema {
  return { ...schema, type: [schema.type, 'null'] };
}

/** An amount of money: an integer in the currency's minor unit (cents for USD and EUR, yen for JPY) and an ISO 4217 code. */
export const money = (description: string): JsonSchema => ({
  type: 'object',
  description,
  properties: {
    amount: { type: 'integer', description: "In the currency's minor unit, e.g. 129900 for USD 1,299.00." },
    currency: { type: 'string', pattern: '^[A-Z]{3}$', description: 'ISO 4217 currency code, e.g. `USD`, `EUR`.' },
  },
  required: ['amount', 'currency'],
});

/** A customer of the Hookline user's business, as events about tickets, invoices, licenses or chats name it. */
export const customerRef = (description = 'The customer.'): JsonSchema => ({
  type: 'object',
  description,
  properties: {
    id: id('Customer id, e.g. `cus_…`.'),
    name: text('Display name: a company or a person.'),
    email: { type: 'string', format: 'email', description: 'Main contact address.' },
    tier: oneOfStrings(CUSTOMER_TIERS, 'Plan tier of the customer when the event happened.'),
  },
  required: ['id', 'name', 'email', 'tier'],
});

/** A member of staff of the Hookline user's business: an agent, an engineer, an approver. */
export const userRef = (description: string): JsonSchema => ({
  type: 'object',
  description,
  properties: {
    id: id('User id, e.g. `usr_…`.'),
    name: text('Full name.'),
    email: { type: 'string', format: 'email' },
  },
  required: ['id', 'name', 'email'],
});

/** A referenced record given by id and display name (a client, a project, a service). */
export const namedRef = (idDescription: string, description: string): JsonSchema => ({
  type: 'object',
  description,
  properties: { id: id(idDescription), name: text('Display name.') },
  required: ['id', 'name'],
});

/** What changed in an `*.updated` event: each changed field with its previous and new value. */
export const changes = (description: string): JsonSchema => ({
  type: 'object',
  description,
  minProperties: 1,
  additionalProperties: {
    type: 'object',
    properties: { from: { description: 'Value before the change.' }, to: { description: 'Value after the change.' } },
    required: ['from', 'to'],
  },
});
