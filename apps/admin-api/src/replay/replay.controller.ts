import { Body, Controller, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiRoute, CurrentCaller, RequireScope, tenantInQuery, type Caller } from '@hookline/service-kit';
import { TenantQuery, toDeliveryView } from '../deliveries/delivery.dto';
import { GetDelivery } from '../deliveries/get-delivery/get-delivery.usecase';
import { parseRequest } from '../http/parse-request';
import { ReplayDelivery } from './replay-delivery/replay-delivery.usecase';
import { ReplayBodySchema, ReplayDocs } from './replay.docs';

/** One more attempt chain for a delivery in a final state. A tenant key replays its own tenant's deliveries only. */
@Controller('v1/deliveries/:id/replay')
export class ReplayController {
  constructor(
    private readonly replayDelivery: ReplayDelivery,
    private readonly getDelivery: GetDelivery,
  ) {}

  @Post()
  @ApiRoute(ReplayDocs.replay)
  @HttpCode(202)
  @RequireScope('deliveries:replay', { tenants: tenantInQuery })
  async replay(@Param('id') id: string, @Query() query: unknown, @Body() body: unknown, @CurrentCaller() caller: Caller) {
    const tenantId = caller.tenantId ?? parseRequest(TenantQuery, query).tenantId;
    parseRequest(ReplayBodySchema, body);
    const { delivery, attempt } = await this.replayDelivery.execute({ deliveryId: id, tenantId, by: caller.keyId });
    return { attempt, delivery: toDeliveryView(await this.getDelivery.execute(delivery.id, delivery.tenantId)) };
  }
}
