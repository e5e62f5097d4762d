// Hookline's built-in event catalog: the event types every tenant finds in its
// catalog without creating them, each with a JSON Schema (2020-12) of its
// `data` and an example `data`.
//
// Every schema allows fields it does not list at the top level of `data`
// (`additionalProperties: true`): the platforms that send these events add
// fields of their own, and a schema that refused them would make Hookline
// reject real events. What a schema requires, and the types and values of the
// fields it lists, are still checked.
import { BILLING_EVENT_TYPES } from './billing';
import type { BuiltinEventType } from './builtin-event-type';
import { CHAT_EVENT_TYPES } from './chat';
import { CLIENT_EVENT_TYPES } from './clients';
import { CUSTOMER_EVENT_TYPES } from './customers';
import { INBOUND_EVENT_TYPES } from './inbound';
import { INCIDENT_EVENT_TYPES } from './incidents';
import { LICENSE_EVENT_TYPES } from './licenses';
import { HOOKLINE_EVENT_TYPES } from './operational';
import { PROJECT_EVENT_TYPES } from './projects';
import { SURVEY_EVENT_TYPES } from './surveys';
import { TASK_EVENT_TYPES } from './tasks';
import { TICKET_EVENT_TYPES } from './tickets';
import { TIME_ENTRY_EVENT_TYPES } from './time-entries';

export type { BuiltinEventType, JsonSchema } from './builtin-event-type';

export const BUILTIN_EVENT_TYPES: readonly BuiltinEventType[] = [
  ...BILLING_EVENT_TYPES,
  ...TICKET_EVENT_TYPES,
  ...CUSTOMER_EVENT_TYPES,
  ...LICENSE_EVENT_TYPES,
  ...CHAT_EVENT_TYPES,
  ...INCIDENT_EVENT_TYPES,
  ...CLIENT_EVENT_TYPES,
  ...PROJECT_EVENT_TYPES,
  ...TASK_EVENT_TYPES,
  ...TIME_ENTRY_EVENT_TYPES,
  ...SURVEY_EVENT_TYPES,
  ...HOOKLINE_EVENT_TYPES,
  ...INBOUND_EVENT_TYPES,
];

const BY_NAME = new Map(BUILTIN_EVENT_TYPES.map((type) => [type.name, type]));

/** The built-in event type with this name, or undefined when there is none. */
export function builtinEventType(name: string): BuiltinEventType | undefined {
  return BY_NAME.get(name);
}
