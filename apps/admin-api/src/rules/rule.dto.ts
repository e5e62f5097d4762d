import { ACTION_KEY, EndpointIdSchema, EventIdSchema, RuleConfigSchema, TenantIdSchema } from '@hookline/contracts';
import { ChatTemplateSchema } from '@hookline/chat';
import { z } from 'zod';
import { pageOf } from '../http/page';
import type { RuleRow } from './rule.ports';

const EVENT_TYPE_PATTERN = z
  .string()
  .regex(/^(\*|[a-z0-9_]+(\.[a-z0-9_]+)*(\.\*)?)$/, 'must be "*", an event type like "ticket.created", or a prefix like "ticket.*"');

/** A `deliver` action as the API takes it: `key` names it within the rule (default: its position, "1", "2", …). */
const DeliverActionInput = z
  .object({
    key: ACTION_KEY.optional(),
    type: z.literal('deliver'),
    endpointIds: z.array(EndpointIdSchema).min(1, 'must name at least one endpoint').max(20, 'must name at most 20 endpoints'),
    transform: z.string('must be a JSONata expression, or null').nullable().default(null),
  })
  .strict();

/** A `chat` action: a message made from `template` posted to chat endpoints (README, "Chat outputs"). */
const ChatActionInput = z
  .object({
    key: ACTION_KEY.optional(),
    type: z.literal('chat'),
    endpointIds: z.array(EndpointIdSchema).min(1, 'must name at least one chat endpoint').max(20, 'must name at most 20 endpoints'),
    template: ChatTemplateSchema,
  })
  .strict();

/** An `invoke` action: the action contract called, asynchronously, with what JSONata `input` makes of the event (its data when null). */
const InvokeActionInput = z
  .object({
    key: ACTION_KEY.optional(),
    type: z.literal('invoke'),
    contractId: z.uuid('must be an action contract id (a UUID)'),
    input: z.string('must be a JSONata expression, or null').nullable().default(null),
  })
  .strict();

export const RuleFieldsSchema = {
  name: z.string().min(1, 'must not be empty').max(200, 'must be at most 200 characters'),
  enabled: z.boolean(),
  trigger: z
    .object({ eventTypes: z.array(EVENT_TYPE_PATTERN).min(1, 'must list at least one event type').max(50, 'must list at most 50 event types') })
    .strict(),
  conditions: z
    .record(z.string(), z.unknown(), {
      error: 'must be a condition: { all: [...] }, { any: [...] }, { not: {...} }, { path, op, value }, { jsonLogic: {...} }, or null',
    })
    .nullable()
    .meta({ description: 'a condition (README, "Automations"; libs/conditions); null: every event of the trigger' }),
  actions: z
    .array(
      z.discriminatedUnion('type', [DeliverActionInput, ChatActionInput, InvokeActionInput], {
        error:
          'must be an action: { type: "deliver", endpointIds, transform? }, { type: "chat", endpointIds, template } or { type: "invoke", contractId, input? }',
      }),
    )
    .min(1, 'must hold at least one action')
    .max(10, 'must hold at most 10 actions'),
};

export const CreateRuleSchema = z
  .object({ ...RuleFieldsSchema, enabled: RuleFieldsSchema.enabled.default(true), conditions: RuleFieldsSchema.conditions.default(null) })
  .strict();
export type CreateRuleInput = z.infer<typeof CreateRuleSchema>;
export const ReplaceRuleSchema = CreateRuleSchema;
export const PatchRuleSchema = z
  .object({ name: RuleFieldsSchema.name.optional(), enabled: RuleFieldsSchema.enabled.optional() })
  .strict()
  .refine((p) => Object.keys(p).length > 0, 'must set name or enabled');

export const RuleParams = z.object({ tenantId: TenantIdSchema, id: z.uuid('must be a rule id (a UUID)') });
export const RuleListQuery = z.object({
  limit: z.coerce.number().int().min(1, 'must be 1-100').max(100, 'must be 1-100').default(50),
  cursor: z.string().optional().meta({ description: 'the `nextCursor` of the previous page' }),
});

export const RuleViewSchema = RuleConfigSchema.omit({ updatedAt: true }).extend({ createdAt: z.string(), updatedAt: z.string() });
export const RulePageSchema = pageOf(RuleViewSchema);

export function toRuleView(r: RuleRow): z.output<typeof RuleViewSchema> {
  const { id, tenantId, name, enabled, trigger, conditions, actions, version } = r;
  return { id, tenantId, name, enabled, trigger, conditions, actions, version, createdAt: r.createdAt.toISOString(), updatedAt: r.updatedAt.toISOString() };
}

/** `POST …/rules/:id/trial`: the event to try (each field optional) and the mode. */
export const TrialSchema = z
  .object({
    event: z
      .object({
        type: z
          .string()
          .regex(/^[a-z0-9_]+(\.[a-z0-9_]+)*$/, 'must be dot-separated lowercase words, e.g. "ticket.created"')
          .optional(),
        id: EventIdSchema.optional(),
        data: z.record(z.string(), z.unknown(), { error: 'must be a JSON object, the event data' }).optional(),
        occurredAt: z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time' }).optional(),
      })
      .strict()
      .optional(),
    mode: z.enum(['dry', 'live'], { error: 'must be dry (nothing sent) or live (sent as test deliveries)' }),
  })
  .strict();

export const TrialViewSchema = z.object({
  mode: z.enum(['dry', 'live']),
  event: z.object({
    id: z.string(),
    tenantId: z.string(),
    type: z.string(),
    data: z.record(z.string(), z.unknown()),
    occurredAt: z.string(),
    receivedAt: z.string(),
  }),
  triggered: z.boolean().meta({ description: 'the event’s type is one of the trigger’s' }),
  matched: z.boolean().meta({ description: 'the rule runs for it: triggered, and its conditions hold' }),
  conditions: z.record(z.string(), z.unknown()).nullable().meta({
    description:
      'every condition evaluated, as a tree: { kind: "all"|"any", matched, items } | { kind: "not", matched, item } | { kind: "comparison", matched, path, op, value?, actual, ignoreCase? } | { kind: "jsonLogic", matched }; `actual` is the value found at the path (null when there is none); null when the rule has no conditions',
  }),
  actions: z.array(
    z.object({
      key: z.string(),
      type: z.string(),
      transform: z
        .union([z.object({ ok: z.literal(true), value: z.unknown() }), z.object({ ok: z.literal(false), reason: z.string(), detail: z.string().optional() })])
        .nullable(),
      deliveries: z.array(
        z.object({
          endpointId: z.string(),
          skipped: z.enum(['endpoint_missing', 'endpoint_disabled', 'not_a_chat_endpoint']).optional(),
          request: z.object({ method: z.string(), url: z.string(), headers: z.record(z.string(), z.string()), body: z.string() }).optional(),
          attempt: z.record(z.string(), z.unknown()).optional().meta({ description: 'live: the attempt, as a test send answers it' }),
        }),
      ),
      invocation: z
        .object({
          contractId: z.string(),
          input: z.unknown(),
          result: z.record(z.string(), z.unknown()).optional().meta({ description: 'live: the invocation, as `POST …/invoke` answers it' }),
          error: z.record(z.string(), z.unknown()).optional().meta({ description: 'live: why it failed or was refused, as an error body' }),
        })
        .optional()
        .meta({ description: 'an invoke action’s: the contract and input (dry), and what came of it (live)' }),
    }),
  ),
});
