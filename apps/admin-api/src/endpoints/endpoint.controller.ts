import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { RequireScope, tenantInPath, type Scope } from '@hookline/service-kit';
import { decodeCursor, toPage } from '../http/cursor';
import { parseRequest } from '../http/zod-body';
import { CreateEndpointSchema, ListQuerySchema, RotateSecretSchema, TenantParam, toEndpointView, UpdateEndpointSchema } from './endpoint.dto';
import { EndpointRepository } from './endpoint.repository';
import { EndpointService } from './endpoint.service';

// Every route here is under a tenant: another tenant's key gets 404 before the scope is looked at.
const can = (scope: Scope) => RequireScope(scope, { tenants: tenantInPath });

@Controller('v1/tenants/:tenantId/endpoints')
export class EndpointController {
  constructor(
    private readonly service: EndpointService,
    private readonly endpoints: EndpointRepository,
  ) {}

  /** Creates an endpoint; the response is the only one that carries its signing secret besides GET …/secret. */
  @Post()
  @can('endpoints:write')
  async create(@Param() params: unknown, @Body() body: unknown) {
    const { tenantId } = parseRequest(TenantParam, params);
    const { endpoint, secret } = await this.service.create(tenantId, parseRequest(CreateEndpointSchema, body));
    return { ...toEndpointView(endpoint), secret };
  }

  @Get()
  @can('endpoints:read')
  async list(@Param() params: unknown, @Query() query: unknown) {
    const { tenantId } = parseRequest(TenantParam, params);
    const { limit, cursor } = parseRequest(ListQuerySchema, query);
    const { page, nextCursor } = toPage(await this.endpoints.list(tenantId, limit + 1, decodeCursor(cursor)), limit);
    return { data: page.map(toEndpointView), nextCursor };
  }

  @Get(':id')
  @can('endpoints:read')
  async get(@Param() params: { tenantId: string; id: string }) {
    const { tenantId } = parseRequest(TenantParam, params);
    return toEndpointView(await this.service.get(tenantId, params.id));
  }

  /** The signing secrets are credentials: reading them takes the write scope. */
  @Get(':id/secret')
  @can('endpoints:write')
  async secret(@Param() params: { tenantId: string; id: string }) {
    const { tenantId } = parseRequest(TenantParam, params);
    const secrets = await this.service.secrets(tenantId, params.id);
    return { secret: secrets[secrets.length - 1], secrets };
  }

  /** Body `{ overlapHours?: 0-168 }` (default 24): how long the previous secrets keep signing. */
  @Post(':id/secret/rotate')
  @can('endpoints:write')
  async rotateSecret(@Param() params: { tenantId: string; id: string }, @Body() body: unknown) {
    const { tenantId } = parseRequest(TenantParam, params);
    const { overlapHours } = parseRequest(RotateSecretSchema, body);
    const { endpoint, secret } = await this.service.rotateSecret(tenantId, params.id, overlapHours);
    return { ...toEndpointView(endpoint), secret, previousSecretsExpireAt: endpoint.secrets.find((s) => s.expiresAt)?.expiresAt ?? null };
  }

  @Patch(':id')
  @can('endpoints:write')
  async update(@Param() params: { tenantId: string; id: string }, @Body() body: unknown) {
    const { tenantId } = parseRequest(TenantParam, params);
    return toEndpointView(await this.service.update(tenantId, params.id, parseRequest(UpdateEndpointSchema, body)));
  }

  @Delete(':id')
  @can('endpoints:write')
  @HttpCode(204)
  async remove(@Param() params: { tenantId: string; id: string }) {
    const { tenantId } = parseRequest(TenantParam, params);
    await this.service.delete(tenantId, params.id);
  }
}
