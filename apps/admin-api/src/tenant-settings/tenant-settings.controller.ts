import { Body, Controller, Get, Param, Put } from '@nestjs/common';
import { ApiRoute, RequireScope, tenantInPath } from '@hookline/service-kit';
import { TenantParam } from '../endpoints/endpoint.dto';
import { parseRequest } from '../http/parse-request';
import { GetTenantSettings } from './get-tenant-settings/get-tenant-settings.usecase';
import { PutTenantSettingsSchema, toTenantSettingsView } from './tenant-settings.dto';
import { TenantSettingsDocs } from './tenant-settings.docs';
import { UpdateTenantSettings } from './update-tenant-settings/update-tenant-settings.usecase';

/**
 * A tenant's settings. Reading them is part of reading the log (how far back
 * it goes); changing them can delete history, so it takes `admin` (a tenant's
 * own admin key may, for its tenant only). Another tenant's key gets 404.
 */
@Controller('v1/tenants/:tenantId/settings')
export class TenantSettingsController {
  constructor(
    private readonly getTenantSettings: GetTenantSettings,
    private readonly updateTenantSettings: UpdateTenantSettings,
  ) {}

  @Get()
  @ApiRoute(TenantSettingsDocs.get)
  @RequireScope('deliveries:read', { tenants: tenantInPath })
  async get(@Param() params: unknown) {
    const { tenantId } = parseRequest(TenantParam, params);
    return toTenantSettingsView(await this.getTenantSettings.execute(tenantId));
  }

  @Put()
  @ApiRoute(TenantSettingsDocs.put)
  @RequireScope('admin', { tenants: tenantInPath })
  async put(@Param() params: unknown, @Body() body: unknown) {
    const { tenantId } = parseRequest(TenantParam, params);
    return toTenantSettingsView(await this.updateTenantSettings.execute(tenantId, parseRequest(PutTenantSettingsSchema, body)));
  }
}
