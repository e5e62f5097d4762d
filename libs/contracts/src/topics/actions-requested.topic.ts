import { z } from 'zod';
import { TenantIdSchema } from '../ids/ids';
import { MessagesDeadLetteredTopic } from './messages-dead-lettered.topic';
import { defineTopic } from './topic-contract';

/**
 * A rule's `invoke` action for one event: call the tenant's action contract
 * with `input` (what the action's JSONata made of the event, or its data).
 * `invocationId` derives from the event, the rule and the action, so a batch
 * redone after a crash asks for the same invocation, which admin-api runs at
 * most once to success (and the backend sees as its `Idempotency-Key`).
 */
export const ActionRequestSchema = z.object({
  invocationId: z.string(),
  tenantId: TenantIdSchema,
  contractId: z.uuid(),
  input: z.unknown(),
  eventId: z.string(),
  rule: z.object({ id: z.uuid(), version: z.number().int(), actionKey: z.string() }),
  requestedAt: z.string(),
});
export type ActionRequest = z.infer<typeof ActionRequestSchema>;

export const ActionsRequestedTopic = defineTopic({
  name: 'hookline.actions.requested.v1',
  schema: ActionRequestSchema,
  key: (r) => r.contractId,
  deadLetterTopic: MessagesDeadLetteredTopic,
  description: 'action-contract invocations asked by rules (rules-engine); run by admin-api',
});
