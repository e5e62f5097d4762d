import type { RouteDoc } from '@hookline/service-kit';
import { TenantParam } from '../endpoints/endpoint.dto';
import {
  CreateRuleSchema,
  PatchRuleSchema,
  ReplaceRuleSchema,
  RuleListQuery,
  RulePageSchema,
  RuleParams,
  RuleViewSchema,
  TrialSchema,
  TrialViewSchema,
} from './rule.dto';

const tag = 'Rules';

const example = {
  name: 'VIP tickets to the on-call endpoint',
  trigger: { eventTypes: ['ticket.created'] },
  conditions: {
    all: [
      { path: 'data.priority', op: 'equals', value: 'high' },
      { path: 'data.customer.tier', op: 'in', value: ['gold', 'platinum'] },
    ],
  },
  actions: [
    {
      key: 'page',
      type: 'deliver',
      endpointIds: ['5b7c7a0e-8a3c-4d0e-9a53-1f6f2a4e9c11'],
      transform: '{ "title": "VIP: " & data.subject, "customer": data.customer.name }',
    },
  ],
};

/** The OpenAPI description of the rule routes (README, "Automations"). */
export const RuleDocs = {
  create: {
    tag,
    summary: 'Create a rule',
    description:
      'When an event of one of `trigger.eventTypes` matching `conditions` is accepted, run `actions` in order. It runs for events accepted after the answer.',
    params: TenantParam,
    body: CreateRuleSchema,
    bodyExample: example,
    responses: { 201: { description: 'the rule', schema: RuleViewSchema } },
    errors: {
      403: 'an invoke action names an action contract this key may not invoke itself (`actions:invoke` and one of its roles)',
      422: 'a path the trigger’s event types do not declare (`undeclared_path`), an endpoint the tenant does not have (`unknown_endpoint`), a webhook endpoint in a chat action (`not_a_chat_endpoint`), a contract it does not have (`unknown_contract`), or 1,000 rules already',
    },
  },
  list: {
    tag,
    summary: "List a tenant's rules",
    params: TenantParam,
    query: RuleListQuery,
    responses: { 200: { description: 'a page of rules, oldest first', schema: RulePageSchema } },
  },
  get: { tag, summary: 'Get a rule', params: RuleParams, responses: { 200: { description: 'the rule', schema: RuleViewSchema } } },
  replace: {
    tag,
    summary: 'Replace a rule',
    description: 'The whole rule, as for creation; a new version that applies to events accepted after the answer.',
    params: RuleParams,
    body: ReplaceRuleSchema,
    bodyExample: example,
    responses: { 200: { description: 'the rule as saved', schema: RuleViewSchema } },
    errors: { 403: 'as for creation', 422: 'as for creation' },
  },
  patch: {
    tag,
    summary: 'Rename, enable or disable a rule',
    params: RuleParams,
    body: PatchRuleSchema,
    bodyExample: { enabled: false },
    responses: { 200: { description: 'the rule as changed', schema: RuleViewSchema } },
  },
  trial: {
    tag,
    summary: 'Try a rule on an event',
    description:
      'The event given (each field optional: the trigger’s first type, that type’s catalog example, a `test_…` id, now). `dry`: whether the rule would run, every condition with the value it found, each transformation’s result and the exact request each action would send, with no network. `live`: the same, and when the rule runs, each request sent now as a test delivery (`x-hookline-test`, logged with mode `test`, never retried, outside the endpoint’s health). Takes `endpoints:write`, as a preview and a test send do.',
    params: RuleParams,
    body: TrialSchema,
    bodyExample: {
      mode: 'dry',
      event: { type: 'ticket.created', data: { priority: 'high', subject: 'SSO down', customer: { name: 'Meridian', tier: 'gold' } } },
    },
    responses: { 200: { description: 'what the rule did or would do', schema: TrialViewSchema } },
  },
  remove: { tag, summary: 'Delete a rule', params: RuleParams, responses: { 204: { description: 'deleted: it runs for no later event' } } },
} satisfies Record<string, RouteDoc>;
