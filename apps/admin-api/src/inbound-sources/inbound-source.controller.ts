import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiRoute, RequireScope, tenantInPath, type Scope } from '@hookline/service-kit';
import { TenantParam } from '../endpoints/endpoint.dto';
import { parseRequest } from '../http/parse-request';
import { SourceInputSchema, SourceListQuery, SourceParams, toInboundLogView, toSourceView } from './inbound-source.dto';
import { InboundSourceDocs } from './inbound-source.docs';
import { ManageSources } from './manage-sources/manage-sources.usecase';

// Every route here is under a tenant: another tenant's key gets 404 before the scope is looked at.
const can = (scope: Scope) => RequireScope(scope, { tenants: tenantInPath });

/** A tenant's inbound sources: where providers send their webhooks, and what came of each request. */
@Controller('v1/tenants/:tenantId/inbound-sources')
export class InboundSourceController {
  constructor(private readonly sources: ManageSources) {}

  @Post()
  @ApiRoute(InboundSourceDocs.create)
  @can('inbound:write')
  async create(@Param() params: unknown, @Body() body: unknown) {
    const { tenantId } = parseRequest(TenantParam, params);
    return toSourceView(await this.sources.create(tenantId, parseRequest(SourceInputSchema, body)));
  }

  @Get()
  @ApiRoute(InboundSourceDocs.list)
  @can('inbound:read')
  async list(@Param() params: unknown, @Query() query: unknown) {
    const { tenantId } = parseRequest(TenantParam, params);
    const { page, nextCursor } = await this.sources.list(tenantId, parseRequest(SourceListQuery, query));
    return { data: page.map(toSourceView), nextCursor };
  }

  @Get(':id')
  @ApiRoute(InboundSourceDocs.get)
  @can('inbound:read')
  async get(@Param() params: unknown) {
    const { tenantId, id } = parseRequest(SourceParams, params);
    return toSourceView(await this.sources.get(tenantId, id));
  }

  @Put(':id')
  @ApiRoute(InboundSourceDocs.replace)
  @can('inbound:write')
  async replace(@Param() params: unknown, @Body() body: unknown) {
    const { tenantId, id } = parseRequest(SourceParams, params);
    return toSourceView(await this.sources.replace(tenantId, id, parseRequest(SourceInputSchema, body)));
  }

  @Delete(':id')
  @ApiRoute(InboundSourceDocs.remove)
  @can('inbound:write')
  @HttpCode(204)
  async remove(@Param() params: unknown) {
    const { tenantId, id } = parseRequest(SourceParams, params);
    await this.sources.remove(tenantId, id);
  }

  @Get(':id/log')
  @ApiRoute(InboundSourceDocs.log)
  @can('inbound:read')
  async log(@Param() params: unknown, @Query() query: unknown) {
    const { tenantId, id } = parseRequest(SourceParams, params);
    const { page, nextCursor } = await this.sources.log(tenantId, id, parseRequest(SourceListQuery, query));
    return { data: page.map(toInboundLogView), nextCursor };
  }
}
