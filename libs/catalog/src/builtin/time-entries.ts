// Time entries: hours logged against a client's project in a professional
// services (PSA) tool, when logged and when approved for billing.
import type { BuiltinEventType, JsonSchema } from './builtin-event-type';
import { constant, date, dateTime, eventSchema, id, integer, money, namedRef, nullable, oneOfStrings, text, userRef } from './schema-parts';

const GROUP = 'time_entries';

const TIME_ENTRY: Record<string, JsonSchema> = {
  id: id('Time entry id, e.g. `te_…`.'),
  user: userRef('Member of staff whose time it is.'),
  client: namedRef('Client id, e.g. `cli_…`.', 'The client the time is for.'),
  project: namedRef('Project id, e.g. `prj_…`.', 'The project the time is logged on.'),
  task: nullable(namedRef('Task id, e.g. `task_…`.', 'The task, or null for time on the project as a whole.')),
  date: date('Day the work was done.'),
  durationMinutes: integer('Time worked, in minutes.', 1),
  billable: { type: 'boolean', description: 'Whether the time is billed to the client.' },
  hourlyRate: nullable(money('Rate billed for the time, or null when not billable.')),
  notes: text('What was done.'),
  status: oneOfStrings(['submitted', 'approved', 'rejected', 'invoiced'], 'Status after the event.'),
};
const TIME_ENTRY_REQUIRED = ['id', 'user', 'client', 'project', 'task', 'date', 'durationMinutes', 'billable', 'status'];

const TIME_ENTRY_EXAMPLE = {
  id: 'te_8Hc3Nv6Qy2',
  user: { id: 'usr_4Rm8Tq2Vb6', name: 'Amara Nwosu', email: 'amara.nwosu@example.com' },
  client: { id: 'cli_3Mv7Qx1Pd9', name: 'Harbourview Property Management' },
  project: { id: 'prj_5Kx1Zr8Tm6', name: 'Tenant portal relaunch' },
  task: { id: 'task_2Wz6Jc9Lf1', name: 'Build maintenance request form with photo upload' },
  date: '2026-03-16',
  durationMinutes: 225,
  billable: true,
  hourlyRate: { amount: 18500, currency: 'AUD' },
  notes: 'Photo upload with client-side resizing; validation messages per field.',
  status: 'submitted',
};

export const TIME_ENTRY_EVENT_TYPES: readonly BuiltinEventType[] = [
  {
    name: 'time_entry.created',
    group: GROUP,
    description: 'Time was logged, from a timer or by hand.',
    schema: eventSchema(
      'time_entry.created',
      'Time was logged, from a timer or by hand.',
      {
        ...TIME_ENTRY,
        source: oneOfStrings(['timer', 'manual', 'import', 'calendar'], 'How the entry was made.'),
        createdAt: dateTime('When the entry was made.'),
      },
      [...TIME_ENTRY_REQUIRED, 'source', 'createdAt'],
    ),
    example: { ...TIME_ENTRY_EXAMPLE, source: 'timer', createdAt: '2026-03-16T16:47:03Z' },
  },
  {
    name: 'time_entry.approved',
    group: GROUP,
    description: 'Logged time was approved and can be invoiced.',
    schema: eventSchema(
      'time_entry.approved',
      'Logged time was approved and can be invoiced.',
      {
        ...TIME_ENTRY,
        status: constant('approved', 'Always `approved`.'),
        billableAmount: money('Amount to invoice: duration times rate, zero when not billable.'),
        approvedBy: userRef('Member of staff who approved the time.'),
        approvedAt: dateTime('When the time was approved.'),
      },
      [...TIME_ENTRY_REQUIRED, 'billableAmount', 'approvedBy', 'approvedAt'],
    ),
    example: {
      ...TIME_ENTRY_EXAMPLE,
      status: 'approved',
      billableAmount: { amount: 69375, currency: 'AUD' },
      approvedBy: { id: 'usr_9Pd4Wn7Hs2', name: 'Jonas Becker', email: 'jonas.becker@example.com' },
      approvedAt: '2026-03-20T06:10:55Z',
    },
  },
];
