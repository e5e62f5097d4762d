import { Controller, Get, NotFoundException, Param, Query } from '@nestjs/common';
import { TenantIdSchema } from '@hookline/contracts';
import { CurrentCaller, RequireScope, tenantInQuery, type Caller } from '@hookline/service-kit';
import { z } from 'zod';
import { decodeCursor, toPage } from '../http/cursor';
import { parseRequest } from '../http/zod-body';
import type { AttemptEntity } from './attempt.entity';
import type { DeliveryEntity } from './delivery.entity';
import { DeliveryRepository } from './delivery.repository';

const ListDeliveriesQuery = z
  .object({
    tenantId: TenantIdSchema.optional(),
    endpointId: z.uuid('must be a UUID').optional(),
    eventId: z.string().max(128).optional(),
    eventType: z.string().max(128).optional(),
    status: z.enum(['pending', 'failing', 'succeeded', 'dead']).optional(),
    since: z.coerce.date({ error: 'must be an ISO 8601 date-time' }).optional(),
    until: z.coerce.date({ error: 'must be an ISO 8601 date-time' }).optional(),
    limit: z.coerce.number().int().min(1, 'must be 1-100').max(100, 'must be 1-100').default(50),
    cursor: z.string().optional(),
  })
  .strict();

/** The delivery log: deliveries with every attempt, filterable, newest first. */
@Controller('v1/deliveries')
export class DeliveryController {
  constructor(private readonly deliveries: DeliveryRepository) {}

  /** A tenant key sees its own tenant's deliveries, with or without a `tenantId` filter. */
  @Get()
  @RequireScope('deliveries:read', { tenants: tenantInQuery })
  async list(@Query() query: unknown, @CurrentCaller() caller: Caller) {
    const { limit, cursor, ...filter } = parseRequest(ListDeliveriesQuery, query);
    filter.tenantId = caller.tenantId ?? filter.tenantId;
    const { page, nextCursor } = toPage(await this.deliveries.list(filter, limit + 1, decodeCursor(cursor)), limit);
    const attempts = await this.deliveries.attemptsOf(page.map((d) => d.id));
    return { data: page.map((d) => toDeliveryView(d, attempts.get(d.id) ?? [])), nextCursor };
  }

  @Get(':id')
  @RequireScope('deliveries:read', { tenants: tenantInQuery })
  async get(@Param('id') id: string, @Query() query: unknown, @CurrentCaller() caller: Caller) {
    const tenantId = caller.tenantId ?? parseRequest(z.object({ tenantId: TenantIdSchema.optional() }), query).tenantId;
    const parsedId = z.uuid().safeParse(id);
    const delivery = parsedId.success ? await this.deliveries.findOne(id, tenantId) : null;
    if (!delivery) throw new NotFoundException({ error: 'not_found', message: `delivery ${id} not found` });
    const attempts = await this.deliveries.attemptsOf([id]);
    return toDeliveryView(delivery, attempts.get(id) ?? []);
  }
}

function toDeliveryView(d: DeliveryEntity, attempts: AttemptEntity[]) {
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
      request: { headers: a.requestHeaders },
      response:
        a.responseStatus === null
          ? null
          : { status: a.responseStatus, headers: a.responseHeaders, body: a.responseBody, bodyTruncated: a.responseBodyTruncated },
      durationMs: a.durationMs,
      startedAt: a.startedAt.toISOString(),
    })),
  };
}
