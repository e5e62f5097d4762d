import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiRoute, CurrentCaller, RequireScope, tenantInPath, validationFailed, type Caller, type Scope } from '@hookline/service-kit';
import { TenantParam } from '../endpoints/endpoint.dto';
import { parseRequest } from '../http/parse-request';
import {
  ContractFieldsSchema,
  ContractListQuery,
  ContractParams,
  InvocationListQuery,
  InvokeSchema,
  toContractView,
  toInvocationView,
} from './action-contract.dto';
import { ActionContractDocs } from './action-contract.docs';
import { InvocationRepository } from './action-contract.repository';
import { InvokeAction } from './invoke-action/invoke-action.usecase';
import { ManageContracts } from './manage-contracts/manage-contracts.usecase';

// Every route here is under a tenant: another tenant's key gets 404 before the scope is looked at.
const can = (scope: Scope) => RequireScope(scope, { tenants: tenantInPath });

/** A tenant's action contracts: the operations of its backend Hookline may call, and their invocations. */
@Controller('v1/tenants/:tenantId/action-contracts')
export class ActionContractController {
  constructor(
    private readonly contracts: ManageContracts,
    private readonly invokeAction: InvokeAction,
    private readonly invocations: InvocationRepository,
  ) {}

  @Post()
  @ApiRoute(ActionContractDocs.create)
  @can('actions:write')
  async create(@Param() params: unknown, @Body() body: unknown) {
    const { tenantId } = parseRequest(TenantParam, params);
    const { contract, secret } = await this.contracts.create(tenantId, parseRequest(ContractFieldsSchema, body));
    return { ...toContractView(contract), secret };
  }

  @Get()
  @ApiRoute(ActionContractDocs.list)
  @can('actions:read')
  async list(@Param() params: unknown, @Query() query: unknown) {
    const { tenantId } = parseRequest(TenantParam, params);
    const { page, nextCursor } = await this.contracts.list(tenantId, parseRequest(ContractListQuery, query));
    return { data: page.map(toContractView), nextCursor };
  }

  @Get(':id')
  @ApiRoute(ActionContractDocs.get)
  @can('actions:read')
  async get(@Param() params: unknown) {
    const { tenantId, id } = parseRequest(ContractParams, params);
    return toContractView(await this.contracts.get(tenantId, id));
  }

  @Put(':id')
  @ApiRoute(ActionContractDocs.replace)
  @can('actions:write')
  async replace(@Param() params: unknown, @Body() body: unknown) {
    const { tenantId, id } = parseRequest(ContractParams, params);
    return toContractView(await this.contracts.replace(tenantId, id, parseRequest(ContractFieldsSchema, body)));
  }

  @Delete(':id')
  @ApiRoute(ActionContractDocs.remove)
  @can('actions:write')
  @HttpCode(204)
  async remove(@Param() params: unknown) {
    const { tenantId, id } = parseRequest(ContractParams, params);
    await this.contracts.remove(tenantId, id);
  }

  @Get(':id/secret')
  @ApiRoute(ActionContractDocs.secret)
  @can('actions:write')
  async secret(@Param() params: unknown) {
    const { tenantId, id } = parseRequest(ContractParams, params);
    return { secret: await this.contracts.secret(tenantId, id) };
  }

  @Post(':id/invoke')
  @ApiRoute(ActionContractDocs.invoke)
  @can('actions:invoke')
  @HttpCode(200)
  async invoke(@Param() params: unknown, @Body() body: unknown, @CurrentCaller() caller: Caller, @Headers('idempotency-key') idempotencyKey?: string) {
    const { tenantId, id } = parseRequest(ContractParams, params);
    const { input } = parseRequest(InvokeSchema, body);
    return this.invokeAction.execute(tenantId, id, input, { kind: 'api', caller, ...(idempotencyKey ? { idempotencyKey } : {}) });
  }

  @Get(':id/invocations')
  @ApiRoute(ActionContractDocs.invocations)
  @can('actions:read')
  async listInvocations(@Param() params: unknown, @Query() query: unknown) {
    const { tenantId, id } = parseRequest(ContractParams, params);
    const { limit, cursor } = parseRequest(InvocationListQuery, query);
    await this.contracts.get(tenantId, id);
    const rows = await this.invocations.list(tenantId, id, limit + 1, decodeInvocationCursor(cursor));
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      data: page.map(toInvocationView),
      nextCursor: rows.length > limit ? Buffer.from(`${last.createdAt.toISOString()}|${last.id}`).toString('base64url') : null,
    };
  }
}

function decodeInvocationCursor(cursor: string | undefined): { createdAt: Date; id: string } | undefined {
  if (!cursor) return undefined;
  const [at, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const createdAt = new Date(at);
  if (!id || !/^inv_[0-9a-f]{32}$/.test(id) || Number.isNaN(createdAt.getTime()))
    throw validationFailed([{ field: 'cursor', rule: 'must be a cursor returned by a previous page' }]);
  return { createdAt, id };
}
