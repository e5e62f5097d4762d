// Clients: the client accounts of an agency or consultancy in a professional
// services (PSA) tool: created, updated, archived. Each event carries the
// client as it is after the event.
import type { BuiltinEventType, JsonSchema } from './builtin-event-type';
import { changes, constant, dateTime, eventSchema, id, integer, money, nullable, nullableText, oneOfStrings, text, userRef } from './schema-parts';

const GROUP = 'clients';

const CLIENT: Record<string, JsonSchema> = {
  id: id('Client id, e.g. `cli_…`.'),
  name: text('Client name.'),
  status: oneOfStrings(['active', 'archived'], 'Status after the event.'),
  billingEmail: { type: 'string', format: 'email', description: 'Where invoices go.' },
  accountManager: nullable(userRef('Member of staff responsible for the client, or null.')),
  currency: { type: 'string', pattern: '^[A-Z]{3}$', description: 'ISO 4217 code the client is billed in.' },
  defaultHourlyRate: nullable(money('Rate billed for an hour of work unless a project sets its own, or null.')),
  externalId: nullableText('Id of the client in the accounting system, e.g. a Xero contact id.'),
  createdAt: dateTime('When the client was created.'),
};
const CLIENT_REQUIRED = ['id', 'name', 'status', 'billingEmail', 'accountManager', 'currency'];

const MANAGER = { id: 'usr_6Yf2Kb8Rw5', name: 'Chloe Dubois', email: 'chloe.dubois@example.com' };
const CLIENT_EXAMPLE = {
  id: 'cli_3Mv7Qx1Pd9',
  name: 'Harbourview Property Management',
  status: 'active',
  billingEmail: 'finance@harbourviewpm.com.au',
  accountManager: MANAGER,
  currency: 'AUD',
  defaultHourlyRate: { amount: 18500, currency: 'AUD' },
  externalId: '8f3b2c1e-5d4a-4e6f-9b7c-0a1d2e3f4a5b',
  createdAt: '2026-01-19T03:45:12Z',
};

export const CLIENT_EVENT_TYPES: readonly BuiltinEventType[] = [
  {
    name: 'client.created',
    group: GROUP,
    description: 'A new client was added.',
    schema: eventSchema(
      'client.created',
      'A new client was added.',
      { ...CLIENT, status: constant('active', 'Always `active`.'), createdBy: userRef('Member of staff who added the client.') },
      [...CLIENT_REQUIRED, 'createdAt', 'createdBy'],
    ),
    example: { ...CLIENT_EXAMPLE, createdBy: MANAGER },
  },
  {
    name: 'client.updated',
    group: GROUP,
    description: "A client's details changed (name, billing address, account manager, rates).",
    schema: eventSchema(
      'client.updated',
      "A client's details changed.",
      {
        ...CLIENT,
        changes: changes('Changed fields by name, each with its previous and new value.'),
        updatedBy: nullable(userRef('Member of staff who made the change, or null for a sync from another system.')),
        updatedAt: dateTime('When the client changed.'),
      },
      [...CLIENT_REQUIRED, 'changes', 'updatedBy', 'updatedAt'],
    ),
    example: {
      ...CLIENT_EXAMPLE,
      changes: { defaultHourlyRate: { from: { amount: 17500, currency: 'AUD' }, to: { amount: 18500, currency: 'AUD' } } },
      updatedBy: MANAGER,
      updatedAt: '2026-07-01T00:12:09Z',
    },
  },
  {
    name: 'client.archived',
    group: GROUP,
    description: 'A client was archived: no new projects or time can be added for it.',
    schema: eventSchema(
      'client.archived',
      'A client was archived: no new projects or time can be added for it.',
      {
        ...CLIENT,
        status: constant('archived', 'Always `archived`.'),
        reason: nullableText('Why, as noted by whoever archived it.'),
        openProjects: integer('Projects of the client still open when it was archived.'),
        archivedBy: userRef('Member of staff who archived the client.'),
        archivedAt: dateTime('When the client was archived.'),
      },
      [...CLIENT_REQUIRED, 'reason', 'openProjects', 'archivedBy', 'archivedAt'],
    ),
    example: {
      ...CLIENT_EXAMPLE,
      status: 'archived',
      reason: 'Contract ended after the portal relaunch; no further work planned.',
      openProjects: 0,
      archivedBy: MANAGER,
      archivedAt: '2026-11-30T06:20:33Z',
    },
  },
];
