import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiRoute, CurrentCaller, RequireScope, tenantInQuery, type Caller } from '@hookline/service-kit';
import { decodeCursor } from '../http/cursor';
import { parseRequest } from '../http/parse-request';
import { ListDeliveriesQuery, TenantQuery, toDeliveryDetailView, toDeliveryView } from './delivery.dto';
import { GetDelivery } from './get-delivery/get-delivery.usecase';
import { ListDeliveries } from './list-deliveries/list-deliveries.usecase';
import { DeliveryDocs, RetryNowBodySchema } from './delivery.docs';
import { RetryNow } from './retry-now/retry-now.usecase';

/**
 * The delivery log: deliveries with every attempt, filterable, newest first,
 * and a failing delivery's scheduled retry made due now. A tenant key sees
 * and retries its own tenant's only.
 */
@Controller('v1/deliveries')
export class DeliveryController {
  constructor(
    private readonly listDeliveries: ListDeliveries,
    private readonly getDelivery: GetDelivery,
    private readonly retryNow: RetryNow,
  ) {}

  @Get()
  @ApiRoute(DeliveryDocs.list)
  @RequireScope('deliveries:read', { tenants: tenantInQuery })
  async list(@Query() query: unknown, @CurrentCaller() caller: Caller) {
    const { limit, cursor, ...filter } = parseRequest(ListDeliveriesQuery, query);
    const { page, nextCursor } = await this.listDeliveries.execute(
      { ...filter, tenantId: caller.tenantId ?? filter.tenantId },
      { limit, after: decodeCursor(cursor) },
    );
    return { data: page.map(toDeliveryView), nextCursor };
  }

  @Get(':id')
  @ApiRoute(DeliveryDocs.get)
  @RequireScope('deliveries:read', { tenants: tenantInQuery })
  async get(@Param('id') id: string, @Query() query: unknown, @CurrentCaller() caller: Caller) {
    return toDeliveryDetailView(await this.getDelivery.execute(id, caller.tenantId ?? parseRequest(TenantQuery, query).tenantId));
  }

  // Scoped like a replay: both make the endpoint receive the delivery again, sooner than it would have.
  @Post(':id/retry-now')
  @ApiRoute(DeliveryDocs.retryNow)
  @HttpCode(202)
  @RequireScope('deliveries:replay', { tenants: tenantInQuery })
  async retry(@Param('id') id: string, @Query() query: unknown, @Body() body: unknown, @CurrentCaller() caller: Caller) {
    const tenantId = caller.tenantId ?? parseRequest(TenantQuery, query).tenantId;
    parseRequest(RetryNowBodySchema, body);
    return this.retryNow.execute({ deliveryId: id, tenantId });
  }
}
