// Tasks: work items on a project board in a professional services (PSA)
// tool: created, assigned, moved to another stage, completed. Each event
// carries the task as it is after the event.
import type { BuiltinEventType, JsonSchema } from './builtin-event-type';
import { PRIORITIES, dateTime, eventSchema, id, namedRef, nullable, oneOfStrings, text, url, userRef } from './schema-parts';

const GROUP = 'tasks';

const STAGE = (description: string): JsonSchema => namedRef('Stage id, e.g. `stg_…`.', description);

const TASK: Record<string, JsonSchema> = {
  id: id('Task id, e.g. `task_…`.'),
  title: text('Task title.'),
  project: namedRef('Project id, e.g. `prj_…`.', 'The project the task belongs to.'),
  stage: STAGE('Board column the task is in after the event, e.g. `In review`.'),
  priority: oneOfStrings(PRIORITIES, 'Priority.'),
  assignee: nullable(userRef('Member of staff the task is assigned to, or null when unassigned.')),
  dueDate: { type: ['string', 'null'], format: 'date', description: 'Deadline, or null without one.' },
  estimateHours: { type: ['number', 'null'], minimum: 0, description: 'Estimated effort in hours, or null.' },
  url: url('The task in the PSA tool.'),
};
const TASK_REQUIRED = ['id', 'title', 'project', 'stage', 'priority', 'assignee', 'dueDate'];

const LEAD = { id: 'usr_9Pd4Wn7Hs2', name: 'Jonas Becker', email: 'jonas.becker@example.com' };
const DEVELOPER = { id: 'usr_4Rm8Tq2Vb6', name: 'Amara Nwosu', email: 'amara.nwosu@example.com' };
const TASK_EXAMPLE = {
  id: 'task_2Wz6Jc9Lf1',
  title: 'Build maintenance request form with photo upload',
  project: { id: 'prj_5Kx1Zr8Tm6', name: 'Tenant portal relaunch' },
  stage: { id: 'stg_in_progress', name: 'In progress' },
  priority: 'high',
  assignee: DEVELOPER,
  dueDate: '2026-03-20',
  estimateHours: 16,
  url: 'https://psa.example.com/projects/prj_5Kx1Zr8Tm6/tasks/task_2Wz6Jc9Lf1',
};

export const TASK_EVENT_TYPES: readonly BuiltinEventType[] = [
  {
    name: 'task.created',
    group: GROUP,
    description: 'A task was added to a project.',
    schema: eventSchema(
      'task.created',
      'A task was added to a project.',
      { ...TASK, createdBy: userRef('Member of staff who created the task.'), createdAt: dateTime('When the task was created.') },
      [...TASK_REQUIRED, 'createdBy', 'createdAt'],
    ),
    example: { ...TASK_EXAMPLE, stage: { id: 'stg_backlog', name: 'Backlog' }, assignee: null, createdBy: LEAD, createdAt: '2026-02-24T10:02:18Z' },
  },
  {
    name: 'task.assigned',
    group: GROUP,
    description: 'A task was assigned or reassigned.',
    schema: eventSchema(
      'task.assigned',
      'A task was assigned or reassigned.',
      {
        ...TASK,
        assignee: userRef('Member of staff the task is now assigned to.'),
        previousAssignee: nullable(userRef('Who it was assigned to before, or null.')),
        assignedBy: userRef('Member of staff who assigned it.'),
        assignedAt: dateTime('When the task was assigned.'),
      },
      [...TASK_REQUIRED, 'previousAssignee', 'assignedBy', 'assignedAt'],
    ),
    example: { ...TASK_EXAMPLE, stage: { id: 'stg_backlog', name: 'Backlog' }, previousAssignee: null, assignedBy: LEAD, assignedAt: '2026-03-02T08:45:00Z' },
  },
  {
    name: 'task.stage_changed',
    group: GROUP,
    description: 'A task moved to another stage of the board.',
    schema: eventSchema(
      'task.stage_changed',
      'A task moved to another stage of the board.',
      {
        ...TASK,
        previousStage: STAGE('Board column the task was in before.'),
        changedBy: userRef('Member of staff who moved it.'),
        changedAt: dateTime('When the task moved.'),
      },
      [...TASK_REQUIRED, 'previousStage', 'changedBy', 'changedAt'],
    ),
    example: {
      ...TASK_EXAMPLE,
      stage: { id: 'stg_in_review', name: 'In review' },
      previousStage: { id: 'stg_in_progress', name: 'In progress' },
      changedBy: DEVELOPER,
      changedAt: '2026-03-17T15:30:26Z',
    },
  },
  {
    name: 'task.completed',
    group: GROUP,
    description: 'A task was marked done.',
    schema: eventSchema(
      'task.completed',
      'A task was marked done.',
      {
        ...TASK,
        hoursLogged: { type: 'number', minimum: 0, description: 'Hours of time entries on the task.' },
        completedBy: userRef('Member of staff who marked it done.'),
        completedAt: dateTime('When the task was completed.'),
      },
      [...TASK_REQUIRED, 'hoursLogged', 'completedBy', 'completedAt'],
    ),
    example: {
      ...TASK_EXAMPLE,
      stage: { id: 'stg_done', name: 'Done' },
      hoursLogged: 14.25,
      completedBy: DEVELOPER,
      completedAt: '2026-03-19T11:08:44Z',
    },
  },
];
