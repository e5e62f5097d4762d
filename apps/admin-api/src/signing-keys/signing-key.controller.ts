import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiRoute, RequireScope, tenantInPath, type Scope } from '@hookline/service-kit';
import { endpointParams } from '../endpoints/endpoint.dto';
import { GetEndpoint } from '../endpoints/get-endpoint/get-endpoint.usecase';
import { parseRequest } from '../http/parse-request';
import { AddSigningKey } from './add-signing-key/add-signing-key.usecase';
import { DeleteSigningKey } from './delete-signing-key/delete-signing-key.usecase';
import { CreateSigningKeySchema, toSigningKeyView } from './signing-key.dto';
import { SigningKeyDocs } from './signing-key.docs';

const can = (scope: Scope) => RequireScope(scope, { tenants: tenantInPath });

/**
 * Key pairs for the `ed25519` and `rsa-sha256` schemes. Responses carry only
 * public keys (with their key id): they are what a receiver configures.
 * Private keys never leave Hookline.
 */
@Controller('v1/tenants/:tenantId/endpoints/:id/keys')
export class SigningKeyController {
  constructor(
    private readonly addSigningKey: AddSigningKey,
    private readonly deleteSigningKey: DeleteSigningKey,
    private readonly getEndpoint: GetEndpoint,
  ) {}

  /** Body `{ algorithm: "ed25519" | "rsa-sha256", modulusLength?: 2048 | 3072 | 4096 }`; the new key signs from now on. */
  @Post()
  @ApiRoute(SigningKeyDocs.create)
  @can('endpoints:write')
  async create(@Param() params: unknown, @Body() body: unknown) {
    const { tenantId, id } = endpointParams(params);
    return toSigningKeyView(await this.addSigningKey.execute(tenantId, id, parseRequest(CreateSigningKeySchema, body)));
  }

  @Get()
  @ApiRoute(SigningKeyDocs.list)
  @can('endpoints:read')
  async list(@Param() params: unknown) {
    const { tenantId, id } = endpointParams(params);
    return { data: (await this.getEndpoint.execute(tenantId, id)).signingKeys.map(toSigningKeyView) };
  }

  @Delete(':keyId')
  @ApiRoute(SigningKeyDocs.remove)
  @can('endpoints:write')
  @HttpCode(204)
  async remove(@Param() params: unknown) {
    const { tenantId, id } = endpointParams(params);
    await this.deleteSigningKey.execute(tenantId, id, String((params as { keyId?: unknown }).keyId));
  }
}
