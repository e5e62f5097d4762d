import { DeliveryIdSchema, DeliveryModeSchema, EndpointIdSchema, TenantIdSchema } from '@hookline/contracts';
import { z } from 'zod';
import { pageOf } from '../http/page';
import { DELIVERY_STATUSES } from './delivery.entity';
import type { DeliveryDetail, LoggedDelivery } from './delivery.ports';
import { withoutCredentials } from './request-headers';

export const ListDeliveriesQuery = z
  .object({
    tenantId: TenantIdSchema.optional(),
    endpointId: EndpointIdSchema.optional(),
    eventId: z.string().max(128).optional(),
    eventType: z.string().max(128).optional(),
    status: z.enum(DELIVERY_STATUSES).optional(),
    mode: DeliveryModeSchema.default('live'),
    since: z.coerce
      .date({ error: 'must be an ISO 8601 date-time' })
      .optional()
      .meta({ type: 'string', format: 'date-time', description: 'deliveries created at or after' }),
    until: z.coerce
      .date({ error: 'must be an ISO 8601 date-time' })
      .optional()
      .meta({ type: 'string', format: 'date-time', description: 'deliveries created before' }),
    limit: z.coerce.number().int().min(1, 'must be 1-100').max(100, 'must be 1-100').default(50),
    cursor: z.string().optional().meta({ description: 'the `nextCursor` of the previous page' }),
  })
  .strict();

export const TenantQuery = z.object({ tenantId: TenantIdSchema.optional() });

export const AttemptViewSchema = z.object({
  id: z.string(),
  attempt: z.number().int(),
  url: z.string(),
  succeeded: z.boolean(),
  failure: z.object({ kind: z.string(), message: z.string().nullable() }).nullable(),
  request: z.object({ headers: z.record(z.string(), z.string()).meta({ description: 'as sent; credential-looking custom headers shown as [redacted]' }) }),
  response: z
    .object({
      status: z.number().int(),
      headers: z.record(z.string(), z.string()).nullable(),
      body: z.string().nullable().meta({ description: 'the first 4,096 bytes' }),
      bodyTruncated: z.boolean(),
    })
    .nullable(),
  durationMs: z.number().int(),
  startedAt: z.string(),
  replay: z.object({ by: z.string(), at: z.string(), jobId: z.string().optional() }).nullable().meta({
    description:
      'who replayed the chain this attempt belongs to (an API key id, `bootstrap` for the admin token) and when; the recovery job, if one did; null for the first chain',
  }),
});

export const DeliveryViewSchema = z.object({
  id: z.string(),
  tenantId: z.string(),
  eventId: z.string(),
  endpointId: z.string(),
  eventType: z.string(),
  status: z.enum(DELIVERY_STATUSES),
  mode: DeliveryModeSchema.meta({ description: 'live, or test for a test send (listed only with mode=test)' }),
  attemptCount: z.number().int(),
  lastAttemptAt: z.string().nullable(),
  lastResponseStatus: z.number().int().nullable(),
  rule: z
    .object({ id: z.string(), version: z.number().int(), actionKey: z.string() })
    .nullable()
    .meta({ description: 'the rule action that made this delivery (README, "Automations"); null for the endpoint’s own subscription' }),
  createdAt: z.string(),
  attempts: z.array(AttemptViewSchema),
});
export type DeliveryView = z.output<typeof DeliveryViewSchema>;

/** One delivery on its own: what the list does not carry, since it takes one more lookup per delivery. */
export const DeliveryDetailViewSchema = DeliveryViewSchema.extend({
  nextAttempt: z
    .object({
      attempt: z.number().int(),
      dueAt: z.string().nullable().meta({ description: 'when it is due; null while it is held' }),
      held: z.boolean().meta({ description: 'held while the endpoint is paused: it gets a due time once the endpoint resumes' }),
    })
    .nullable()
    .meta({
      description:
        'the attempt the retry-scheduler holds for this delivery (a retry, a deferral, or a request held for a paused endpoint); null when none is (succeeded, dead, being sent, or not scheduled yet)',
    }),
});
export type DeliveryDetailView = z.output<typeof DeliveryDetailViewSchema>;
export const DeliveryPageSchema = pageOf(DeliveryViewSchema);
export const DeliveryPath = z.object({ id: DeliveryIdSchema });

/** The public shape of a delivery and its attempts (request headers as sent, response as captured). */
export function toDeliveryView({ delivery: d, attempts }: LoggedDelivery): DeliveryView {
  return {
    id: d.id,
    tenantId: d.tenantId,
    eventId: d.eventId,
    endpointId: d.endpointId,
    eventType: d.eventType,
    status: d.status,
    mode: d.mode,
    attemptCount: d.attemptCount,
    lastAttemptAt: d.lastAttemptAt?.toISOString() ?? null,
    lastResponseStatus: d.lastResponseStatus,
    rule: d.rule ?? null,
    createdAt: d.createdAt.toISOString(),
    attempts: attempts.map((a) => ({
      id: a.id,
      attempt: a.attemptNumber,
      url: a.url,
      succeeded: a.succeeded,
      failure: a.failureKind ? { kind: a.failureKind, message: a.failureMessage } : null,
      request: { headers: withoutCredentials(a.requestHeaders) },
      response:
        a.responseStatus === null
          ? null
          : { status: a.responseStatus, headers: a.responseHeaders, body: a.responseBody, bodyTruncated: a.responseBodyTruncated },
      durationMs: a.durationMs,
      startedAt: a.startedAt.toISOString(),
      replay: a.replay ?? null,
    })),
  };
}

/** A delivery's own view: its public shape and the attempt scheduled next. */
export function toDeliveryDetailView(detail: DeliveryDetail): DeliveryDetailView {
  const next = detail.nextAttempt;
  return {
    ...toDeliveryView(detail),
    nextAttempt: next && { attempt: next.attempt, dueAt: next.dueAt?.toISOString() ?? null, held: next.dueAt === null },
  };
}
