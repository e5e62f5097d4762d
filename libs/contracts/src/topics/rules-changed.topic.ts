import { z } from 'zod';
import { EndpointIdSchema, TenantIdSchema } from '../ids/ids';
import { defineTopic } from './topic-contract';

/** An action's key: names it within its rule, so its deliveries keep their ids when other actions are added, moved or removed. */
export const ACTION_KEY = z
  .string()
  .min(1)
  .max(64, 'must be at most 64 characters')
  .regex(/^[A-Za-z0-9_-]+$/, 'must be letters, digits, "_" or "-"');

/**
 * Deliver the event to endpoints of the rule's tenant, as a normal delivery
 * (signed, retried, logged), with the body a JSONata `transform` makes of the
 * event, or the event's own body when there is none.
 */
export const DeliverActionSchema = z.object({
  key: ACTION_KEY,
  type: z.literal('deliver'),
  endpointIds: z.array(EndpointIdSchema).min(1).max(20),
  transform: z.string().nullable(),
});
export type DeliverAction = z.infer<typeof DeliverActionSchema>;

/**
 * Post a message to chat endpoints of the rule's tenant (Slack, Teams, Google
 * Chat, Discord, Telegram), made from `template` (libs/chat `ChatTemplate`, as
 * admin-api validated it) and the event, in each endpoint's tool's own format;
 * sent, retried and logged like any delivery.
 */
export const ChatActionSchema = z.object({
  key: ACTION_KEY,
  type: z.literal('chat'),
  endpointIds: z.array(EndpointIdSchema).min(1).max(20),
  template: z.record(z.string(), z.unknown()),
});
export type ChatAction = z.infer<typeof ChatActionSchema>;

/**
 * Invoke an action contract of the rule's tenant (README, "Action contracts"),
 * asynchronously, with the JSON a JSONata `input` expression makes of the
 * event, or the event's `data` when there is none.
 */
export const InvokeActionSchema = z.object({
  key: ACTION_KEY,
  type: z.literal('invoke'),
  contractId: z.uuid(),
  input: z.string().nullable(),
});
export type InvokeAction = z.infer<typeof InvokeActionSchema>;

export const RuleActionSchema = z.discriminatedUnion('type', [DeliverActionSchema, ChatActionSchema, InvokeActionSchema]);
export type RuleAction = z.infer<typeof RuleActionSchema>;

/**
 * One rule as rules-engine runs it: when an event of one of `eventTypes`
 * (wildcards as for endpoints) matching `conditions` (a condition of
 * libs/conditions; null: every such event) is accepted, run `actions` in order.
 * Tombstone (null value) = deleted.
 */
export const RuleConfigSchema = z.object({
  id: z.uuid(),
  tenantId: TenantIdSchema,
  name: z.string(),
  enabled: z.boolean(),
  trigger: z.object({ eventTypes: z.array(z.string()).min(1) }),
  conditions: z.record(z.string(), z.unknown()).nullable(),
  actions: z.array(RuleActionSchema).min(1),
  version: z.number().int().min(1),
  updatedAt: z.string(),
});
export type RuleConfig = z.infer<typeof RuleConfigSchema>;

export const RulesChangedTopic = defineTopic({
  name: 'hookline.rules.changed.v1',
  schema: RuleConfigSchema,
  key: (rule) => rule.id,
  compacted: true,
  description: 'compacted automation rules, keyed by rule id; null value = deleted',
});
