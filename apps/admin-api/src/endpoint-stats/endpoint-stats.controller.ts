import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiRoute, RequireScope, tenantInPath } from '@hookline/service-kit';
import { endpointParams } from '../endpoints/endpoint.dto';
import { parseRequest } from '../http/parse-request';
import { toEndpointStatsView } from './endpoint-stats.dto';
import { GetEndpointStats } from './get-endpoint-stats/get-endpoint-stats.usecase';
import { EndpointStatsDocs, StatsQuery } from './endpoint-stats.docs';

/** An endpoint's health from the delivery log. Under the tenant: another tenant's key gets 404 before the scope is looked at. */
@Controller('v1/tenants/:tenantId/endpoints/:id/stats')
export class EndpointStatsController {
  constructor(private readonly getEndpointStats: GetEndpointStats) {}

  @Get()
  @ApiRoute(EndpointStatsDocs.get)
  @RequireScope('endpoints:read', { tenants: tenantInPath })
  async get(@Param() params: unknown, @Query() query: unknown) {
    const { tenantId, id } = endpointParams(params);
    parseRequest(StatsQuery, query);
    return toEndpointStatsView(await this.getEndpointStats.execute(tenantId, id));
  }
}
