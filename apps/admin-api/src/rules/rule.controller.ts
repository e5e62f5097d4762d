import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put, Query } from '@nestjs/common';
import { ApiRoute, CurrentCaller, RequireScope, tenantInPath, type Caller, type Scope } from '@hookline/service-kit';
import { TenantParam } from '../endpoints/endpoint.dto';
import { parseRequest } from '../http/parse-request';
import { ChangeRule } from './change-rule/change-rule.usecase';
import { CreateRule } from './create-rule/create-rule.usecase';
import { DeleteRule } from './delete-rule/delete-rule.usecase';
import { GetRule } from './get-rule/get-rule.usecase';
import { ListRules } from './list-rules/list-rules.usecase';
import { ReplaceRule } from './replace-rule/replace-rule.usecase';
import { CreateRuleSchema, PatchRuleSchema, ReplaceRuleSchema, RuleListQuery, RuleParams, toRuleView, TrialSchema } from './rule.dto';
import { TrialRule } from './trial-rule/trial-rule.usecase';
import { toTestAttemptView } from '../test-mode/test-mode.dto';
import { RuleDocs } from './rule.docs';

// Every route here is under a tenant: another tenant's key gets 404 before the scope is looked at.
const can = (scope: Scope) => RequireScope(scope, { tenants: tenantInPath });

/** A tenant's automation rules: when X happens (trigger and conditions), do Y (actions). */
@Controller('v1/tenants/:tenantId/rules')
export class RuleController {
  constructor(
    private readonly createRule: CreateRule,
    private readonly listRules: ListRules,
    private readonly getRule: GetRule,
    private readonly replaceRule: ReplaceRule,
    private readonly changeRule: ChangeRule,
    private readonly deleteRule: DeleteRule,
    private readonly trialRule: TrialRule,
  ) {}

  @Post()
  @ApiRoute(RuleDocs.create)
  @can('rules:write')
  async create(@Param() params: unknown, @Body() body: unknown, @CurrentCaller() caller: Caller) {
    const { tenantId } = parseRequest(TenantParam, params);
    return toRuleView(await this.createRule.execute(tenantId, parseRequest(CreateRuleSchema, body), caller));
  }

  @Get()
  @ApiRoute(RuleDocs.list)
  @can('rules:read')
  async list(@Param() params: unknown, @Query() query: unknown) {
    const { tenantId } = parseRequest(TenantParam, params);
    const { page, nextCursor } = await this.listRules.execute(tenantId, parseRequest(RuleListQuery, query));
    return { data: page.map(toRuleView), nextCursor };
  }

  @Get(':id')
  @ApiRoute(RuleDocs.get)
  @can('rules:read')
  async get(@Param() params: unknown) {
    const { tenantId, id } = parseRequest(RuleParams, params);
    return toRuleView(await this.getRule.execute(tenantId, id));
  }

  @Put(':id')
  @ApiRoute(RuleDocs.replace)
  @can('rules:write')
  async replace(@Param() params: unknown, @Body() body: unknown, @CurrentCaller() caller: Caller) {
    const { tenantId, id } = parseRequest(RuleParams, params);
    return toRuleView(await this.replaceRule.execute(tenantId, id, parseRequest(ReplaceRuleSchema, body), caller));
  }

  @Patch(':id')
  @ApiRoute(RuleDocs.patch)
  @can('rules:write')
  async patch(@Param() params: unknown, @Body() body: unknown) {
    const { tenantId, id } = parseRequest(RuleParams, params);
    return toRuleView(await this.changeRule.execute(tenantId, id, parseRequest(PatchRuleSchema, body)));
  }

  /** A trial previews signed requests and sends test deliveries: it takes what a preview and a test send take. */
  @Post(':id/trial')
  @ApiRoute(RuleDocs.trial)
  @can('endpoints:write')
  @HttpCode(200)
  async trial(@Param() params: unknown, @Body() body: unknown) {
    const { tenantId, id } = parseRequest(RuleParams, params);
    const result = await this.trialRule.execute(tenantId, id, parseRequest(TrialSchema, body));
    return {
      ...result,
      actions: result.actions.map((a) => ({
        ...a,
        deliveries: a.deliveries.map((d) => (d.attempt ? { endpointId: d.endpointId, attempt: toTestAttemptView(d.attempt) } : d)),
      })),
    };
  }

  @Delete(':id')
  @ApiRoute(RuleDocs.remove)
  @can('rules:write')
  @HttpCode(204)
  async remove(@Param() params: unknown) {
    const { tenantId, id } = parseRequest(RuleParams, params);
    await this.deleteRule.execute(tenantId, id);
  }
}
