import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiRoute, CurrentCaller, RequireScope, tenantInBody, type Caller } from '@hookline/service-kit';
import { parseRequest } from '../http/parse-request';
import { CreateApiKeySchema, toApiKeyView } from './api-key.dto';
import { CreateApiKey } from './create-api-key/create-api-key.usecase';
import { ListApiKeys } from './list-api-keys/list-api-keys.usecase';
import { RevokeApiKey } from './revoke-api-key/revoke-api-key.usecase';
import { ApiKeyDocs } from './api-key.docs';

/** API keys: created (shown once), listed and revoked; all of it takes `admin`. */
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
