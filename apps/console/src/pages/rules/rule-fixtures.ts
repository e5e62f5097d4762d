import type { RuleInput } from './rule-model';

/**
 * Rule documents as the API stores and answers them (server fields aside),
 * for the builder's round-trip tests: every condition shape (nested all / any /
 * not, a bare comparison, raw JSON Logic, none), every operator, every action.
 */
export const ONCALL = 'e272ed41-b565-4b1f-ae5a-f6ede534246a';
export const BILLING = '3139a8be-21d3-4b64-b1f1-baa2aea154f8';
export const SLACK = '86bb175c-893a-453e-bd9a-1c248acdafed';
export const TEAMS = '60f918d6-2192-4921-be38-442f332f3d1e';
export const ESCALATE = '8134fb5c-70cb-4d2d-9f50-95e0f849b117';

export const RULES = {
  vipTickets: {
    name: 'VIP tickets to on-call',
    enabled: true,
    trigger: { eventTypes: ['ticket.created'] },
    conditions: {
      all: [
        { path: 'data.priority', op: 'equals', value: 'high' },
        { path: 'data.customer.tier', op: 'in', value: ['gold', 'platinum'], ignoreCase: true },
      ],
    },
    actions: [
      {
        key: 'page',
        type: 'deliver',
        endpointIds: [ONCALL],
        transform: '{ "title": "VIP ticket: " & data.subject, "customer": data.customer.name, "url": data.url }',
      },
    ],
  },
  slackInvoice: {
    name: 'Large invoices to Slack',
    enabled: false,
    trigger: { eventTypes: ['invoice.paid'] },
    conditions: { all: [{ path: 'data.total.amount', op: 'gt', value: 1000 }] },
    actions: [
      {
        key: 'slack',
        type: 'chat',
        endpointIds: [SLACK],
        template: {
          title: 'Invoice {{ data.number }} paid',
          text: '{{ data.customer.name }} paid {{ data.total.amount }} {{ data.total.currency }}',
          fields: [{ label: 'Tier', value: '{{ data.customer.tier }}' }],
          url: '{{ data.hostedInvoiceUrl }}',
        },
      },
    ],
  },
  nested: {
    name: 'Nested groups',
    enabled: true,
    trigger: { eventTypes: ['ticket.*', 'invoice.paid'] },
    conditions: {
      all: [
        { path: 'type', op: 'not_equals', value: 'ticket.reply' },
        {
          not: {
            any: [
              { path: 'data.subject', op: 'starts_with', value: 'Re:', ignoreCase: false },
              { path: 'data.subject', op: 'ends_with', value: '[test]' },
            ],
          },
        },
        {
          any: [
            { path: 'data.tags', op: 'contains', value: 'outage' },
            { path: 'data.number', op: 'in', value: [48213, 48214] },
          ],
        },
      ],
    },
    actions: [
      { key: '1', type: 'deliver', endpointIds: [ONCALL, BILLING], transform: null },
      { key: '2', type: 'chat', endpointIds: [TEAMS, SLACK], template: { text: 'Ticket {{ data.number }}', fields: [] } },
      { key: 'escalate', type: 'invoke', contractId: ESCALATE, input: '{ "ticketId": data.id, "reason": "outage" }' },
    ],
  },
  everyOperator: {
    name: 'Every other operator',
    enabled: true,
    trigger: { eventTypes: ['invoice.*'] },
    conditions: {
      any: [
        { path: 'data.total.amount', op: 'gte', value: 100 },
        { path: 'data.total.amount', op: 'lt', value: 99.5 },
        { path: 'data.amountDue.amount', op: 'lte', value: 0 },
        { path: 'data.hostedInvoiceUrl', op: 'exists' },
        { path: 'data.paymentId', op: 'not_exists' },
        { path: 'data.number', op: 'matches', value: '^INV-20[0-9]{2}-', ignoreCase: true },
        { path: 'data.customer.tier', op: 'not_in', value: ['free', 'starter'] },
        { path: 'data.customer.email', op: 'equals', value: null },
        { path: 'occurredAt', op: 'gt', value: '2026-01-01T00:00:00Z' },
        { path: 'data.urgent', op: 'equals', value: true },
      ],
    },
    actions: [{ key: '1', type: 'invoke', contractId: ESCALATE, input: null }],
  },
  rawExpression: {
    name: 'Raw JSON Logic',
    enabled: true,
    trigger: { eventTypes: ['*'] },
    conditions: { jsonLogic: { and: [{ 'hl:matches': [{ var: 'data.subject' }, '^SSO', false] }, { '>': [{ var: 'data.number' }, 10] }] } },
    actions: [{ key: '1', type: 'deliver', endpointIds: [ONCALL], transform: null }],
  },
  noConditions: {
    name: 'Every paid invoice',
    enabled: true,
    trigger: { eventTypes: ['invoice.paid'] },
    conditions: null,
    actions: [{ key: '1', type: 'deliver', endpointIds: [BILLING], transform: null }],
  },
  notSingle: {
    name: 'Not a free customer',
    enabled: true,
    trigger: { eventTypes: ['invoice.paid'] },
    conditions: { not: { path: 'data.customer.tier', op: 'equals', value: 'free' } },
    actions: [{ key: '1', type: 'deliver', endpointIds: [BILLING], transform: null }],
  },
  oddShapes: {
    name: 'Odd but valid shapes',
    enabled: true,
    trigger: { eventTypes: ['ticket.created'] },
    conditions: {
      any: [
        { not: { not: { all: [{ path: 'data.priority', op: 'equals', value: 'urgent' }] } } },
        { all: [] },
        { any: [] },
        { not: { jsonLogic: { '==': [{ var: 'data.channel' }, 'phone'] } } },
        { all: [{ jsonLogic: true }, { not: { any: [{ path: 'id', op: 'starts_with', value: 'test_' }] } }] },
      ],
    },
    actions: [{ key: 'a', type: 'chat', endpointIds: [SLACK], template: { title: '', text: 'x', fields: [] } }],
  },
  bareComparison: {
    name: 'A single comparison',
    enabled: true,
    trigger: { eventTypes: ['ticket.created'] },
    conditions: { path: 'data.channel', op: 'equals', value: 'phone' },
    actions: [{ key: '1', type: 'deliver', endpointIds: [ONCALL], transform: null }],
  },
} satisfies Record<string, RuleInput>;

/** The catalog schemas (of `data`) of two built-in types, as the API answers them, descriptions and bounds left out. */
export const INVOICE_PAID_SCHEMA = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    number: { type: 'string' },
    status: { type: 'string', const: 'paid' },
    customer: {
      type: 'object',
      properties: {
        id: { type: 'string' },
        name: { type: 'string' },
        email: { type: 'string', format: 'email' },
        tier: { type: 'string', enum: ['free', 'starter', 'pro', 'gold', 'platinum', 'enterprise'] },
      },
      required: ['id', 'name', 'email', 'tier'],
    },
    total: { type: 'object', properties: { amount: { type: 'integer' }, currency: { type: 'string' } }, required: ['amount', 'currency'] },
    amountDue: { type: 'object', properties: { amount: { type: 'integer' }, currency: { type: 'string' } }, required: ['amount', 'currency'] },
    dueDate: { type: 'string', format: 'date' },
    hostedInvoiceUrl: { type: 'string', format: 'uri' },
    amountPaid: { type: 'object', properties: { amount: { type: 'integer' }, currency: { type: 'string' } }, required: ['amount', 'currency'] },
    paymentId: { type: 'string' },
    paidAt: { type: 'string', format: 'date-time' },
  },
  required: ['id', 'number', 'status', 'customer', 'total', 'amountDue', 'dueDate', 'amountPaid', 'paymentId', 'paidAt'],
  additionalProperties: true,
};
export const TICKET_CREATED_SCHEMA = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    number: { type: 'integer' },
    subject: { type: 'string' },
    status: { type: 'string', enum: ['new', 'open', 'pending', 'on_hold', 'solved', 'closed'] },
    priority: { type: 'string', enum: ['low', 'normal', 'high', 'urgent'] },
    channel: { type: 'string', enum: ['email', 'web', 'chat', 'phone', 'api'] },
    customer: {
      type: 'object',
      properties: {
        id: { type: 'string' },
        name: { type: 'string' },
        email: { type: 'string', format: 'email' },
        tier: { type: 'string', enum: ['free', 'starter', 'pro', 'gold', 'platinum', 'enterprise'] },
      },
      required: ['id', 'name', 'email', 'tier'],
    },
    assignee: {
      type: ['object', 'null'],
      properties: { id: { type: 'string' }, name: { type: 'string' }, email: { type: 'string', format: 'email' } },
      required: ['id', 'name', 'email'],
    },
    group: { type: ['string', 'null'] },
    tags: { type: 'array', items: { type: 'string' } },
    url: { type: 'string', format: 'uri' },
    createdAt: { type: 'string', format: 'date-time' },
    updatedAt: { type: 'string', format: 'date-time' },
    description: { type: 'string' },
    requester: { type: 'object', properties: { name: { type: 'string' }, email: { type: 'string', format: 'email' } }, required: ['email'] },
  },
  required: ['id', 'number', 'subject', 'status', 'priority', 'channel', 'customer', 'assignee', 'tags', 'createdAt', 'updatedAt', 'description', 'requester'],
  additionalProperties: true,
};
