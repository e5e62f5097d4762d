import { Body, Controller, Get, Param, Patch, Post, Put, Query } from '@nestjs/common';
import { ApiRoute, RequireScope, tenantInPath, type Scope } from '@hookline/service-kit';
import { TenantParam } from '../endpoints/endpoint.dto';
import { parseRequest } from '../http/parse-request';
import { ChangeEventType } from './change-event-type/change-event-type.usecase';
import { CreateEventType } from './create-event-type/create-event-type.usecase';
import {
  CreateEventTypeSchema,
  EventTypeParams,
  ListEventTypesQuery,
  PatchEventTypeSchema,
  ReplaceEventTypeSchema,
  toEventTypeSummary,
  toEventTypeView,
} from './event-type.dto';
import { EventTypeDocs } from './event-type.docs';
import { GetEventType } from './get-event-type/get-event-type.usecase';
import { ListEventTypes } from './list-event-types/list-event-types.usecase';
import { VersionEventType } from './version-event-type/version-event-type.usecase';

// Every route here is under a tenant: another tenant's key gets 404 before the scope is looked at.
const can = (scope: Scope) => RequireScope(scope, { tenants: tenantInPath });

/** A tenant's event catalog: the built-in types and its own, their schemas, versions and schema modes. */
@Controller('v1/tenants/:tenantId/event-types')
export class EventTypeController {
  constructor(
    private readonly listEventTypes: ListEventTypes,
    private readonly getEventType: GetEventType,
    private readonly createEventType: CreateEventType,
    private readonly versionEventType: VersionEventType,
    private readonly changeEventType: ChangeEventType,
  ) {}

  @Get()
  @ApiRoute(EventTypeDocs.list)
  @can('catalog:read')
  async list(@Param() params: unknown, @Query() query: unknown) {
    const { tenantId } = parseRequest(TenantParam, params);
    const { deprecated, ...filter } = parseRequest(ListEventTypesQuery, query);
    const entries = await this.listEventTypes.execute(tenantId, { ...filter, deprecated: deprecated === undefined ? undefined : deprecated === 'true' });
    return { data: entries.map(toEventTypeSummary) };
  }

  @Get(':name')
  @ApiRoute(EventTypeDocs.get)
  @can('catalog:read')
  async get(@Param() params: unknown) {
    const { tenantId, name } = parseRequest(EventTypeParams, params);
    return toEventTypeView(await this.getEventType.execute(tenantId, name));
  }

  @Get(':name/versions')
  @ApiRoute(EventTypeDocs.versions)
  @can('catalog:read')
  async versions(@Param() params: unknown) {
    const { tenantId, name } = parseRequest(EventTypeParams, params);
    const versions = await this.getEventType.versions(tenantId, name);
    return { data: versions.map((v) => ({ ...v, createdAt: v.createdAt?.toISOString() ?? null })) };
  }

  @Post()
  @ApiRoute(EventTypeDocs.create)
  @can('catalog:write')
  async create(@Param() params: unknown, @Body() body: unknown) {
    const { tenantId } = parseRequest(TenantParam, params);
    return toEventTypeView(await this.createEventType.execute(tenantId, parseRequest(CreateEventTypeSchema, body)));
  }

  @Put(':name')
  @ApiRoute(EventTypeDocs.replace)
  @can('catalog:write')
  async replace(@Param() params: unknown, @Body() body: unknown) {
    const { tenantId, name } = parseRequest(EventTypeParams, params);
    return toEventTypeView(await this.versionEventType.execute(tenantId, name, parseRequest(ReplaceEventTypeSchema, body)));
  }

  @Patch(':name')
  @ApiRoute(EventTypeDocs.patch)
  @can('catalog:write')
  async patch(@Param() params: unknown, @Body() body: unknown) {
    const { tenantId, name } = parseRequest(EventTypeParams, params);
    return toEventTypeView(await this.changeEventType.execute(tenantId, name, parseRequest(PatchEventTypeSchema, body)));
  }
}
