import { ACTION_KEY, EndpointIdSchema, RuleConfigSchema, TenantIdSchema } from '@hookline/contracts';
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
    .array(z.discriminatedUnion('type', [DeliverActionInput], { error: 'must be an action: { type: "deliver", endpointIds, transform? }' }))
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
