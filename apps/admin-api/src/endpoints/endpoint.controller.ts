import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiRoute, CurrentCaller, RequireScope, tenantInPath, type Caller, type Scope } from '@hookline/service-kit';
import { parseRequest } from '../http/parse-request';
import { CreateEndpoint } from './create-endpoint/create-endpoint.usecase';
import { DeleteEndpoint } from './delete-endpoint/delete-endpoint.usecase';
import { CreateEndpointSchema, endpointParams, ListQuerySchema, RotateSecretSchema, TenantParam, toEndpointView, UpdateEndpointSchema } from './endpoint.dto';
import { EndpointDocs } from './endpoint.docs';
import { GetEndpoint } from './get-endpoint/get-endpoint.usecase';
import { ListEndpoints } from './list-endpoints/list-endpoints.usecase';
import { ReadEndpointSecret } from './read-endpoint-secret/read-endpoint-secret.usecase';
import { RotateEndpointSecret } from './rotate-endpoint-secret/rotate-endpoint-secret.usecase';
import { UpdateEndpoint } from './update-endpoint/update-endpoint.usecase';

// Every route here is under a tenant: another tenant's key gets 404 before the scope is looked at.
const can = (scope: Scope) => RequireScope(scope, { tenants: tenantInPath });

@Controller('v1/tenants/:tenantId/endpoints')
export class EndpointController {
  constructor(
    private readonly createEndpoint: CreateEndpoint,
    private readonly listEndpoints: ListEndpoints,
    private readonly getEndpoint: GetEndpoint,
    private readonly updateEndpoint: UpdateEndpoint,
    private readonly deleteEndpoint: DeleteEndpoint,
    private readonly readEndpointSecret: ReadEndpointSecret,
    private readonly rotateEndpointSecret: RotateEndpointSecret,
  ) {}

  @Post()
  @ApiRoute(EndpointDocs.create)
  @can('endpoints:write')
  async create(@Param() params: unknown, @Body() body: unknown) {
    const { tenantId } = parseRequest(TenantParam, params);
    const { endpoint, secret } = await this.createEndpoint.execute(tenantId, parseRequest(CreateEndpointSchema, body));
    return { ...toEndpointView(endpoint), secret };
  }

  @Get()
  @ApiRoute(EndpointDocs.list)
  @can('endpoints:read')
  async list(@Param() params: unknown, @Query() query: unknown) {
    const { tenantId } = parseRequest(TenantParam, params);
    const { page, nextCursor } = await this.listEndpoints.execute(tenantId, parseRequest(ListQuerySchema, query));
    return { data: page.map(toEndpointView), nextCursor };
  }

  @Get(':id')
  @ApiRoute(EndpointDocs.get)
  @can('endpoints:read')
  async get(@Param() params: unknown) {
    const { tenantId, id } = endpointParams(params);
    return toEndpointView(await this.getEndpoint.execute(tenantId, id));
  }

  /** The signing secrets are credentials: reading them takes the write scope. */
  @Get(':id/secret')
  @ApiRoute(EndpointDocs.secret)
  @can('endpoints:write')
  async secret(@Param() params: unknown) {
    const { tenantId, id } = endpointParams(params);
    return this.readEndpointSecret.execute(tenantId, id);
  }

  @Post(':id/secret/rotate')
  @ApiRoute(EndpointDocs.rotateSecret)
  @can('endpoints:write')
  async rotateSecret(@Param() params: unknown, @Body() body: unknown) {
    const { tenantId, id } = endpointParams(params);
    const { overlapHours } = parseRequest(RotateSecretSchema, body);
    const { endpoint, secret, previousSecretsExpireAt } = await this.rotateEndpointSecret.execute(tenantId, id, overlapHours);
    return { ...toEndpointView(endpoint), secret, previousSecretsExpireAt };
  }

  @Patch(':id')
  @ApiRoute(EndpointDocs.update)
  @can('endpoints:write')
  async update(@Param() params: unknown, @Body() body: unknown, @CurrentCaller() caller: Caller) {
    const { tenantId, id } = endpointParams(params);
    return toEndpointView(await this.updateEndpoint.execute(tenantId, id, parseRequest(UpdateEndpointSchema, body), caller.keyId));
  }

  @Delete(':id')
  @ApiRoute(EndpointDocs.remove)
  @can('endpoints:write')
  @HttpCode(204)
  async remove(@Param() params: unknown) {
    const { tenantId, id } = endpointParams(params);
    await this.deleteEndpoint.execute(tenantId, id);
  }
}
