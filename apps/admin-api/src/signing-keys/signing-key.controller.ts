import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { RequireScope, tenantInPath, type Scope } from '@hookline/service-kit';
import { TenantParam } from '../endpoints/endpoint.dto';
import { parseRequest } from '../http/zod-body';
import { CreateSigningKeySchema, toSigningKeyView } from './signing-key.dto';
import { SigningKeyService } from './signing-key.service';

const can = (scope: Scope) => RequireScope(scope, { tenants: tenantInPath });

/**
 * Key pairs for the `ed25519` and `rsa-sha256` schemes. Responses carry only
 * public keys (with their key id): they are what a receiver configures.
 * Private keys never leave Hookline.
 */
@Controller('v1/tenants/:tenantId/endpoints/:id/keys')
export class SigningKeyController {
  constructor(private readonly keys: SigningKeyService) {}

  /** Body `{ algorithm: "ed25519" | "rsa-sha256", modulusLength?: 2048 | 3072 | 4096 }`; the new key signs from now on. */
  @Post()
  @can('endpoints:write')
  async create(@Param() params: { tenantId: string; id: string }, @Body() body: unknown) {
    const { tenantId } = parseRequest(TenantParam, params);
    return toSigningKeyView(await this.keys.create(tenantId, params.id, parseRequest(CreateSigningKeySchema, body)));
  }

  @Get()
  @can('endpoints:read')
  async list(@Param() params: { tenantId: string; id: string }) {
    const { tenantId } = parseRequest(TenantParam, params);
    return { data: (await this.keys.list(tenantId, params.id)).map(toSigningKeyView) };
  }

  @Delete(':keyId')
  @can('endpoints:write')
  @HttpCode(204)
  async remove(@Param() params: { tenantId: string; id: string; keyId: string }) {
    const { tenantId } = parseRequest(TenantParam, params);
    await this.keys.remove(tenantId, params.id, params.keyId);
  }
}
