import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiRoute, CurrentCaller, RequireScope, tenantInBody, type Caller } from '@hookline/service-kit';
import { parseRequest } from '../http/parse-request';
import { CreateApiKeySchema, toApiKeyView, type CurrentKeyView } from './api-key.dto';
import { CreateApiKey } from './create-api-key/create-api-key.usecase';
import { ListApiKeys } from './list-api-keys/list-api-keys.usecase';
import { RevokeApiKey } from './revoke-api-key/revoke-api-key.usecase';
import { ApiKeyDocs } from './api-key.docs';

/** API keys: created (shown once), listed and revoked, which takes `admin`; and what the calling key itself may do. */
@Controller('v1/api-keys')
export class ApiKeyController {
  constructor(
    private readonly createApiKey: CreateApiKey,
    private readonly listApiKeys: ListApiKeys,
    private readonly revokeApiKey: RevokeApiKey,
  ) {}

  @Post()
  @ApiRoute(ApiKeyDocs.create)
  @RequireScope('admin', { tenants: tenantInBody })
  async create(@Body() body: unknown, @CurrentCaller() caller: Caller) {
    const { entity, key } = await this.createApiKey.execute(caller, parseRequest(CreateApiKeySchema, body));
    return { ...toApiKeyView(entity), key };
  }

  /** The calling key's tenant, scopes and roles: what the console shows and enables. Declared before `:id` routes. */
  @Get('current')
  @ApiRoute(ApiKeyDocs.current)
  @RequireScope('any')
  current(@CurrentCaller() caller: Caller): CurrentKeyView {
    return { id: caller.keyId, tenantId: caller.tenantId, scopes: [...caller.scopes], roles: [...caller.roles] };
  }

  @Get()
  @ApiRoute(ApiKeyDocs.list)
  @RequireScope('admin')
  async list(@CurrentCaller() caller: Caller) {
    return { data: (await this.listApiKeys.execute(caller)).map(toApiKeyView) };
  }

  @Delete(':id')
  @ApiRoute(ApiKeyDocs.revoke)
  @HttpCode(204)
  @RequireScope('admin')
  async revoke(@Param('id') id: string, @CurrentCaller() caller: Caller) {
    await this.revokeApiKey.execute(caller, id);
  }
}
