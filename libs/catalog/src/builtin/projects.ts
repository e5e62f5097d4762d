// Projects: client projects in a professional services (PSA) tool: created,
// completed, archived. Each event carries the project as it is after the
// event.
import type { BuiltinEventType, JsonSchema } from './builtin-event-type';
import { constant, date, dateTime, eventSchema, id, money, namedRef, nullable, oneOfStrings, text, userRef } from './schema-parts';

const GROUP = 'projects';

const PROJECT: Record<string, JsonSchema> = {
  id: id('Project id, e.g. `prj_…`.'),
  name: text('Project name.'),
  client: namedRef('Client id, e.g. `cli_…`.', 'The client the project is for.'),
  status: oneOfStrings(['planned', 'active', 'on_hold', 'completed', 'archived'], 'Status after the event.'),
  billing: oneOfStrings(['fixed_fee', 'time_and_materials', 'retainer', 'non_billable'], 'How the work is billed.'),
  budget: nullable(money('Budget of the project, or null without one.')),
  budgetHours: { type: ['number', 'null'], minimum: 0, description: 'Hours budgeted, or null without a limit.' },
  manager: userRef('Project manager.'),
  startDate: date('Planned or actual start.'),
  dueDate: { type: ['string', 'null'], format: 'date', description: 'Deadline, or null without one.' },
};
const PROJECT_REQUIRED = ['id', 'name', 'client', 'status', 'billing', 'budget', 'manager', 'startDate', 'dueDate'];

const MANAGER = { id: 'usr_9Pd4Wn7Hs2', name: 'Jonas Becker', email: 'jonas.becker@example.com' };
const PROJECT_EXAMPLE = {
  id: 'prj_5Kx1Zr8Tm6',
  name: 'Tenant portal relaunch',
  client: { id: 'cli_3Mv7Qx1Pd9', name: 'Harbourview Property Management' },
  status: 'active',
  billing: 'fixed_fee',
  budget: { amount: 4800000, currency: 'AUD' },
  budgetHours: 260,
  manager: MANAGER,
  startDate: '2026-02-02',
  dueDate: '2026-06-30',
};

export const PROJECT_EVENT_TYPES: readonly BuiltinEventType[] = [
  {
    name: 'project.created',
    group: GROUP,
    description: 'A new project was set up for a client.',
    schema: eventSchema(
      'project.created',
      'A new project was set up for a client.',
      { ...PROJECT, createdBy: userRef('Member of staff who created the project.'), createdAt: dateTime('When the project was created.') },
      [...PROJECT_REQUIRED, 'createdBy', 'createdAt'],
    ),
    example: { ...PROJECT_EXAMPLE, status: 'planned', createdBy: MANAGER, createdAt: '2026-01-22T09:31:57Z' },
  },
  {
    name: 'project.completed',
    group: GROUP,
    description: 'A project was marked complete.',
    schema: eventSchema(
      'project.completed',
      'A project was marked complete, with how it went against its budget.',
      {
        ...PROJECT,
        status: constant('completed', 'Always `completed`.'),
        hoursLogged: { type: 'number', minimum: 0, description: 'Hours of time entries on the project.' },
        amountBilled: money('Amount invoiced to the client for the project.'),
        onTime: { type: 'boolean', description: 'Whether it was completed by `dueDate` (true when there is none).' },
        completedBy: userRef('Member of staff who marked it complete.'),
        completedAt: dateTime('When the project was completed.'),
      },
      [...PROJECT_REQUIRED, 'hoursLogged', 'amountBilled', 'onTime', 'completedBy', 'completedAt'],
    ),
    example: {
      ...PROJECT_EXAMPLE,
      status: 'completed',
      hoursLogged: 243.5,
      amountBilled: { amount: 4800000, currency: 'AUD' },
      onTime: true,
      completedBy: MANAGER,
      completedAt: '2026-06-26T07:15:40Z',
    },
  },
  {
    name: 'project.archived',
    group: GROUP,
    description: 'A project was archived and hidden from active lists.',
    schema: eventSchema(
      'project.archived',
      'A project was archived and hidden from active lists.',
      {
        ...PROJECT,
        status: constant('archived', 'Always `archived`.'),
        archivedBy: userRef('Member of staff who archived the project.'),
        archivedAt: dateTime('When it was archived.'),
      },
      [...PROJECT_REQUIRED, 'archivedBy', 'archivedAt'],
    ),
    example: { ...PROJECT_EXAMPLE, status: 'archived', archivedBy: MANAGER, archivedAt: '2026-09-01T08:00:00Z' },
  },
];
