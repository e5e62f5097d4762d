// Tickets: support requests in a helpdesk, from creation through assignment,
// replies and resolution to a reopening. Every ticket event carries the
// ticket as it is after the event, with `priority` and `customer.tier` at the
// same place, so one automation ("priority is high and the customer is gold or
// platinum") works on any of them.
import type { BuiltinEventType, JsonSchema } from './builtin-event-type';
import { PRIORITIES, changes, customerRef, dateTime, eventSchema, id, integer, nullable, oneOfStrings, text, url, userRef } from './schema-parts';

const GROUP = 'tickets';

const TICKET: Record<string, JsonSchema> = {
  id: id('Ticket id, e.g. `tkt_…`.'),
  number: integer('Ticket number shown to agents and customers, e.g. 48213.', 1),
  subject: text('Subject line.'),
  status: oneOfStrings(['new', 'open', 'pending', 'on_hold', 'solved', 'closed'], 'Status after the event.'),
  priority: oneOfStrings(PRIORITIES, 'Priority after the event.'),
  channel: oneOfStrings(['email', 'web', 'chat', 'phone', 'api'], 'Where the ticket came in.'),
  customer: customerRef('The customer who asked, with their tier.'),
  assignee: nullable(userRef('Agent the ticket is assigned to, or null when unassigned.')),
  group: { type: ['string', 'null'], description: 'Team the ticket is routed to, e.g. `Billing`, `Tier 2`.' },
  tags: { type: 'array', items: { type: 'string' }, uniqueItems: true, description: 'Tags, lower case.' },
  url: url('The ticket in the helpdesk.'),
  createdAt: dateTime('When the ticket was created.'),
  updatedAt: dateTime('When the ticket last changed.'),
};
const TICKET_REQUIRED = ['id', 'number', 'subject', 'status', 'priority', 'channel', 'customer', 'assignee', 'tags', 'createdAt', 'updatedAt'];

const AGENT = { id: 'usr_2Bn6Rt9Wq1', name: 'Marcus Oyelaran', email: 'marcus.oyelaran@example.com' };
const TICKET_EXAMPLE = {
  id: 'tkt_7Gm3Xp9RcV',
  number: 48213,
  subject: 'SSO login fails for all users since this morning',
  status: 'open',
  priority: 'high',
  channel: 'email',
  customer: { id: 'cus_H4k9Lq2Vm8', name: 'Meridian Health Partners', email: 'it-admin@meridianhealth.org', tier: 'platinum' },
  assignee: AGENT,
  group: 'Tier 2',
  tags: ['sso', 'login', 'outage'],
  url: 'https://support.example.com/agent/tickets/48213',
  createdAt: '2026-05-12T07:41:09Z',
  updatedAt: '2026-05-12T07:58:30Z',
};

function ticketSchema(name: string, description: string, extra: Record<string, JsonSchema>, required: string[]): JsonSchema {
  return eventSchema(name, description, { ...TICKET, ...extra }, [...TICKET_REQUIRED, ...required]);
}

export const TICKET_EVENT_TYPES: readonly BuiltinEventType[] = [
  {
    name: 'ticket.created',
    group: GROUP,
    description: 'A customer or an agent opened a ticket.',
    schema: ticketSchema(
      'ticket.created',
      'A ticket was opened.',
      {
        description: text('First message of the ticket, as plain text.'),
        requester: {
          type: 'object',
          description: 'Person who wrote in.',
          properties: { name: text('Full name.'), email: { type: 'string', format: 'email' } },
          required: ['email'],
        },
      },
      ['description', 'requester'],
    ),
    example: {
      ...TICKET_EXAMPLE,
      status: 'new',
      assignee: null,
      updatedAt: '2026-05-12T07:41:09Z',
      description:
        'Since about 7:15 CET none of our staff can sign in through Okta. The login page shows "SAML response invalid". This blocks our whole front desk.',
      requester: { name: 'Hannah Lindqvist', email: 'hannah.lindqvist@meridianhealth.org' },
    },
  },
  {
    name: 'ticket.updated',
    group: GROUP,
    description: 'Fields of a ticket changed (status, priority, group, tags, …).',
    schema: ticketSchema(
      'ticket.updated',
      'Fields of a ticket changed.',
      {
        changes: changes('Changed fields by name, each with its previous and new value.'),
        updatedBy: nullable(userRef('Agent who made the change, or null for an automation or the customer.')),
      },
      ['changes', 'updatedBy'],
    ),
    example: {
      ...TICKET_EXAMPLE,
      changes: { priority: { from: 'normal', to: 'high' }, tags: { from: ['sso', 'login'], to: ['sso', 'login', 'outage'] } },
      updatedBy: AGENT,
    },
  },
  {
    name: 'ticket.assigned',
    group: GROUP,
    description: 'A ticket was assigned or reassigned to an agent.',
    schema: ticketSchema(
      'ticket.assigned',
      'A ticket was assigned or reassigned to an agent.',
      {
        assignee: userRef('Agent the ticket is now assigned to.'),
        previousAssignee: nullable(userRef('Agent it was assigned to before, or null.')),
        assignedBy: nullable(userRef('Agent who assigned it, or null when a routing rule did.')),
        assignedAt: dateTime('When the ticket was assigned.'),
      },
      ['previousAssignee', 'assignedBy', 'assignedAt'],
    ),
    example: { ...TICKET_EXAMPLE, updatedAt: '2026-05-12T07:43:55Z', previousAssignee: null, assignedBy: null, assignedAt: '2026-05-12T07:43:55Z' },
  },
  {
    name: 'ticket.reply',
    group: GROUP,
    description: 'A public reply or an internal note was added to a ticket.',
    schema: ticketSchema(
      'ticket.reply',
      'A public reply or an internal note was added to a ticket.',
      {
        reply: {
          type: 'object',
          description: 'The reply.',
          properties: {
            id: id('Message id, e.g. `msg_…`.'),
            authorType: oneOfStrings(['agent', 'customer', 'automation'], 'Who wrote it.'),
            author: { type: 'object', properties: { name: text('Full name.'), email: { type: 'string', format: 'email' } }, required: ['name'] },
            body: text('Message text, plain.'),
            public: { type: 'boolean', description: 'False for an internal note the customer does not see.' },
            attachments: integer('Number of files attached.'),
            createdAt: dateTime('When it was written.'),
          },
          required: ['id', 'authorType', 'author', 'body', 'public', 'createdAt'],
        },
      },
      ['reply'],
    ),
    example: {
      ...TICKET_EXAMPLE,
      status: 'pending',
      reply: {
        id: 'msg_4Pz8Kd1Wn6',
        authorType: 'agent',
        author: { name: AGENT.name, email: AGENT.email },
        body: 'Hi Hannah, your IdP signing certificate rotated overnight. Could you upload the new certificate under Settings > Security > SAML? I have attached the steps.',
        public: true,
        attachments: 1,
        createdAt: '2026-05-12T07:58:30Z',
      },
    },
  },
  {
    name: 'ticket.resolved',
    group: GROUP,
    description: 'A ticket was marked solved.',
    schema: ticketSchema(
      'ticket.resolved',
      'A ticket was marked solved.',
      {
        status: oneOfStrings(['solved', 'closed'], 'Solved, or closed when resolving also closes it.'),
        resolvedBy: nullable(userRef('Agent who resolved it, or null when an automation did.')),
        resolvedAt: dateTime('When the ticket was resolved.'),
        firstResponseMinutes: { type: ['integer', 'null'], minimum: 0, description: 'Minutes until the first public reply, or null without one.' },
        resolutionMinutes: integer('Minutes from creation to resolution.'),
      },
      ['resolvedBy', 'resolvedAt', 'resolutionMinutes'],
    ),
    example: {
      ...TICKET_EXAMPLE,
      status: 'solved',
      updatedAt: '2026-05-12T09:12:04Z',
      resolvedBy: AGENT,
      resolvedAt: '2026-05-12T09:12:04Z',
      firstResponseMinutes: 17,
      resolutionMinutes: 91,
    },
  },
  {
    name: 'ticket.reopened',
    group: GROUP,
    description: 'A solved ticket was opened again.',
    schema: ticketSchema(
      'ticket.reopened',
      'A solved ticket was opened again, usually by a customer reply.',
      {
        reopenedBy: oneOfStrings(['customer', 'agent', 'automation'], 'Who reopened it.'),
        reason: text('Why, e.g. "customer replied" or the agent\'s note.'),
        previousResolvedAt: dateTime('When the ticket had been resolved.'),
        reopenedAt: dateTime('When the ticket was reopened.'),
      },
      ['reopenedBy', 'reason', 'previousResolvedAt', 'reopenedAt'],
    ),
    example: {
      ...TICKET_EXAMPLE,
      updatedAt: '2026-05-13T06:30:51Z',
      reopenedBy: 'customer',
      reason: 'customer replied',
      previousResolvedAt: '2026-05-12T09:12:04Z',
      reopenedAt: '2026-05-13T06:30:51Z',
    },
  },
];
