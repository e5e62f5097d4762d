import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { CurrentCaller, RequireScope, tenantInBody, type Caller } from '@hookline/service-kit';
import { parseRequest } from '../http/zod-body';
import { CreateApiKeySchema, toApiKeyView } from './api-key.dto';
import { ApiKeyService } from './api-key.service';

/** API keys: created (shown once), listed and revoked; all of it takes `admin`. */
@Controller('v1/api-keys')
export class ApiKeyController {
  constructor(private readonly service: ApiKeyService) {}

  @Post()
  @RequireScope('admin', { tenants: tenantInBody })
  async create(@Body() body: unknown, @CurrentCaller() caller: Caller) {
    const { entity, key } = await this.service.create(caller, parseRequest(CreateApiKeySchema, body));
    return { ...toApiKeyView(entity), key };
  }

  /** A tenant key sees its tenant's keys; a global key sees every key. */
  @Get()
  @RequireScope('admin')
  async list(@CurrentCaller() caller: Caller) {
    return { data: (await this.service.list(caller)).map(toApiKeyView) };
  }

  @Delete(':id')
  @HttpCode(204)
  @RequireScope('admin')
  async revoke(@Param('id') id: string, @CurrentCaller() caller: Caller) {
    await this.service.revoke(caller, id);
  }
}
