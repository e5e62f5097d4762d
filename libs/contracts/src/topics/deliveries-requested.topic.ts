import { z } from 'zod';
import { EventEnvelopeSchema } from '../event/event.schema';
import { DeliveryIdSchema, EndpointIdSchema, TenantIdSchema } from '../ids/ids';
import { MessagesDeadLetteredTopic } from './messages-dead-lettered.topic';
import { defineTopic } from './topic-contract';

export const DELIVERY_MODES = ['live', 'test'] as const;
export const DeliveryModeSchema = z.enum(DELIVERY_MODES);
export type DeliveryMode = z.infer<typeof DeliveryModeSchema>;

/** The mode of a request: `live` unless it says otherwise. */
export const modeOf = (request: { mode?: DeliveryMode }): DeliveryMode => request.mode ?? 'live';

/**
 * Who asked for a replayed attempt chain (admin-api `POST /v1/deliveries/:id/replay`
 * or a recovery job): the API key id (`bootstrap` for the admin token), when,
 * and the recovery job if one sent it. Logged on each attempt of the chain.
 */
export const ReplayOriginSchema = z.object({
  by: z.string().min(1).max(128),
  at: z.string(),
  jobId: z.uuid('must be a UUID').optional(),
});
export type ReplayOrigin = z.infer<typeof ReplayOriginSchema>;

/** The rule action a delivery comes from. */
export const RuleOriginSchema = z.object({ id: z.uuid(), version: z.number().int().min(1), actionKey: z.string().min(1).max(64) });
export type RuleOrigin = z.infer<typeof RuleOriginSchema>;

export const DeliveryRequestSchema = z.object({
  deliveryId: DeliveryIdSchema,
  tenantId: TenantIdSchema,
  endpointId: EndpointIdSchema,
  /**
   * The endpoint's config version when the delivery was routed. A dispatcher
   * holding an older version catches up first, so a change saved before the
   * event was accepted (a secret rotation, a new URL) applies to it.
   */
  endpointVersion: z.number().int(),
  /** 1-based number of the attempt this request asks for. */
  attempt: z.number().int().min(1),
  reason: z.enum(['initial', 'retry', 'replay']),
  /**
   * How often this attempt was already deferred because its endpoint was
   * saturated (absent: never, as in messages written before it existed). Each
   * deferral of the same attempt waits longer; a retry starts again from none.
   */
  deferrals: z.number().int().min(0).optional(),
  requestedAt: z.string(),
  /**
   * `test` for a test send (admin-api `POST …/endpoints/:id/test`): logged
   * apart from live deliveries, never retried, never counted in an endpoint's
   * health. Absent means `live`, as in messages written before modes existed.
   */
  mode: DeliveryModeSchema.optional(),
  /**
   * Set on a request released from a paused endpoint's hold: the page it was
   * released in and its place in the hold order. A dispatcher that cannot
   * queue it hands it, and the rest of its page, back to the hold at that
   * place rather than deferring it, so the release stays in order.
   */
  release: z.object({ page: z.string(), order: z.number().int() }).optional(),
  /**
   * The first attempt number of this attempt chain: a replay continues the
   * delivery's numbering but gets the endpoint's whole retry policy again, so
   * the policy counts attempts from here. Absent: 1 (the first chain).
   */
  chainStart: z.number().int().min(1).optional(),
  /** Set on every attempt of a replayed chain (carried into its retries). */
  replay: ReplayOriginSchema.optional(),
  /**
   * Set on a delivery a rule's action asked for (absent: the endpoint's own
   * subscription): which rule, at which version, and the action's key.
   */
  rule: RuleOriginSchema.optional(),
  /**
   * The body the action's transformation produced from the event (any JSON
   * value), sent instead of the event's own body; absent: the event's body.
   */
  body: z.unknown().optional(),
  event: EventEnvelopeSchema,
});
export type DeliveryRequest = z.infer<typeof DeliveryRequestSchema>;

/**
 * Kafka header of a request the retry-scheduler issues (a retry, a deferred
 * or held request coming back): never a delivery's first, so a reader that
 * only records first requests (log-store) skips it without parsing it.
 */
export const REISSUED_HEADER = 'hookline-reissued';
export const isReissued = (headers: Readonly<Record<string, string>>): boolean => headers[REISSUED_HEADER] === 'true';

/** The first attempt number of the request's chain: 1 unless it is a replay. */
export const chainStartOf = (request: { chainStart?: number }): number => request.chainStart ?? 1;

export const DeliveriesRequestedTopic = defineTopic({
  name: 'hookline.deliveries.requested.v1',
  schema: DeliveryRequestSchema,
  key: (request) => request.endpointId,
  deadLetterTopic: MessagesDeadLetteredTopic,
  description: 'one request per delivery attempt to make, keyed by endpoint id',
});

/**
 * The message id a delivery is signed with (`webhook-id`): the event's id, or
 * for a rule action's delivery the event's id with the rule and the action's
 * key, so a receiver that deduplicates by message id tells an event's own
 * delivery from what a rule made of it. Stable across retries.
 */
export function messageIdOf(request: { event: { id: string }; rule?: RuleOrigin }): string {
  return request.rule ? `${request.event.id}.${request.rule.id}.${request.rule.actionKey}` : request.event.id;
}
