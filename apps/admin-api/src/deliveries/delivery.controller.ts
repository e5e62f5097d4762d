import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiRoute, CurrentCaller, RequireScope, tenantInQuery, type Caller } from '@hookline/service-kit';
import { decodeCursor } from '../http/cursor';
import { parseRequest } from '../http/parse-request';
import { ListDeliveriesQuery, TenantQuery, toDeliveryDetailView, toDeliveryView } from './delivery.dto';
import { GetDelivery } from './get-delivery/get-delivery.usecase';
import { ListDeliveries } from './list-deliveries/list-deliveries.usecase';
import { DeliveryDocs } from './delivery.docs';

/** The delivery log: deliveries with every attempt, filterable, newest first. A tenant key sees its own tenant's only. */
@Controller('v1/deliveries')
export class DeliveryController {
  constructor(
    private readonly listDeliveries: ListDeliveries,
    private readonly getDelivery: GetDelivery,
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
}
