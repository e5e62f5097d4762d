import { EndpointIdSchema, TenantIdSchema } from '@hookline/contracts';
import { z } from 'zod';
import type { LoggedDelivery } from './delivery.ports';
import { withoutCredentials } from './request-headers';

export const ListDeliveriesQuery = z
  .object({
    tenantId: TenantIdSchema.optional(),
    endpointId: EndpointIdSchema.optional(),
    eventId: z.string().max(128).optional(),
    eventType: z.string().max(128).optional(),
    status: z.enum(['pending', 'failing', 'succeeded', 'dead']).optional(),
    since: z.coerce.date({ error: 'must be an ISO 8601 date-time' }).optional(),
    until: z.coerce.date({ error: 'must be an ISO 8601 date-time' }).optional(),
    limit: z.coerce.number().int().min(1, 'must be 1-100').max(100, 'must be 1-100').default(50),
    cursor: z.string().optional(),
  })
  .strict();

export const TenantQuery = z.object({ tenantId: TenantIdSchema.optional() });

/** The public shape of a delivery and its attempts (request headers as sent, response as captured). */
export function toDeliveryView({ delivery: d, attempts }: LoggedDelivery) {
  return {
    id: d.id,
    tenantId: d.tenantId,
    eventId: d.eventId,
    endpointId: d.endpointId,
    eventType: d.eventType,
    status: d.status,
    attemptCount: d.attemptCount,
    lastAttemptAt: d.lastAttemptAt?.toISOString() ?? null,
    lastResponseStatus: d.lastResponseStatus,
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
