import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiRoute, CurrentCaller, RequireScope, tenantInPath, type Caller, type Scope } from '@hookline/service-kit';
import { TenantParam } from '../endpoints/endpoint.dto';
import { decodeCursor, toPage } from '../http/cursor';
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

const INVOCATION_ID = /^inv_[0-9a-f]{32}$/;

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
    const before = decodeCursor(cursor, INVOCATION_ID);
    const rows = await this.invocations.list(tenantId, id, limit + 1, before);
    const { page, nextCursor } = toPage(rows, limit);
    return { data: page.map(toInvocationView), nextCursor };
  }
}
