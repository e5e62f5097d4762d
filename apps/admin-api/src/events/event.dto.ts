import { EventIdSchema, TenantIdSchema, type TenantId } from '@hookline/contracts';
import { validationFailed, type Caller } from '@hookline/service-kit';
import { z } from 'zod';
import { DeliveryViewSchema, toDeliveryView } from '../deliveries/delivery.dto';
import { parseRequest } from '../http/parse-request';
import type { LoggedEvent } from './event.ports';

export const EventQuery = z.object({ tenantId: TenantIdSchema.optional() }).strict();

/**
 * The tenant an event is looked up in. Event ids are unique within a tenant
 * only, so a global key must name it; a tenant key may leave it out (the
 * guard has already answered 404 to a tenant key naming another tenant).
 */
export function eventTenant(query: unknown, caller: Caller): TenantId {
  const { tenantId } = parseRequest(EventQuery, query);
  const tenant = caller.tenantId ?? tenantId;
  if (!tenant) throw validationFailed([{ field: 'tenantId', rule: 'is required with a key not bound to a tenant (event ids are unique within a tenant)' }]);
  return tenant;
}

/** The public shape of an event: the envelope as accepted, and each delivery as GET /v1/deliveries shows it. */
export const EventViewSchema = z.object({
  id: z.string(),
  type: z.string(),
  tenantId: z.string(),
  occurredAt: z.string(),
  receivedAt: z.string(),
  data: z.record(z.string(), z.unknown()),
  schemaViolations: z
    .array(z.object({ pointer: z.string(), rule: z.string() }))
    .nullable()
    .meta({
      description: 'where `data` failed its type’s schema when the type’s schema mode is `warn` (accepted, flagged); null when it passed or was not checked',
    }),
  deliveries: z.array(DeliveryViewSchema),
});
export type EventView = z.output<typeof EventViewSchema>;
export const EventPath = z.object({ id: EventIdSchema });

export function toEventView({ event: e, deliveries }: LoggedEvent): EventView {
  return {
    id: e.id,
    type: e.type,
    tenantId: e.tenantId,
    occurredAt: e.occurredAt.toISOString(),
    receivedAt: e.receivedAt.toISOString(),
    data: e.data,
    schemaViolations: e.schemaViolations ?? null,
    deliveries: deliveries.map(toDeliveryView),
  };
}
