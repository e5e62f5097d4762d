import { formatIssues, type FieldIssue, type RuleAction, type TenantId } from '@hookline/contracts';
import { ApiError, hasScope, validationFailed, type Caller } from '@hookline/service-kit';
import { mayInvoke } from '../action-contracts/invoke-action/invoke-action.usecase';
import { transformProblem } from '@hookline/transform';
import type { ConditionCheck } from '../conditions/condition-check';
import type { CreateRuleInput } from './rule.dto';
import type { RuleFields, TenantContracts, TenantEndpoints } from './rule.ports';

/**
 * A rule as it may be saved: each action keyed (its position, "1", "2", …,
 * when it has no key; keys unique), each transformation a JSONata expression
 * Hookline may run (400 naming `actions.N.transform`), the conditions a valid
 * condition on the trigger's event types (400, or 422 `undeclared_path`), and
 * every endpoint an action names a live endpoint of the tenant (422
 * `unknown_endpoint` naming `actions.N.endpointIds.M`), a chat endpoint for a
 * chat action (422 `not_a_chat_endpoint`); an invoke action's `input` a
 * JSONata expression as a transform is, and its contract a live action
 * contract of the tenant (422 `unknown_contract`) that the key saving the
 * rule may invoke itself (403 `forbidden`).
 */
export class RuleDefinition {
  constructor(
    private readonly conditions: ConditionCheck,
    private readonly endpoints: TenantEndpoints,
    private readonly contracts: TenantContracts,
  ) {}

  /** `caller`: who saves the rule; it must be allowed to invoke each contract the rule's invoke actions name. */
  async check(tenantId: TenantId, input: CreateRuleInput, caller: Pick<Caller, 'scopes' | 'roles'>): Promise<RuleFields> {
    const issues: FieldIssue[] = [];
    const actions: RuleAction[] = input.actions.map((a, i) => {
      const key = a.key ?? String(i + 1);
      if (a.type === 'deliver') return { ...a, key, transform: a.transform ?? null };
      if (a.type === 'invoke') return { ...a, key, input: a.input ?? null };
      return { ...a, key };
    });
    const seen = new Set<string>();
    actions.forEach((a, i) => {
      if (seen.has(a.key)) issues.push({ field: `actions.${i}.key`, rule: `must be unique within the rule ("${a.key}" is taken)` });
      seen.add(a.key);
      const [field, expression] = a.type === 'deliver' ? ['transform', a.transform] : a.type === 'invoke' ? ['input', a.input] : ['', null];
      const problem = expression === null ? null : transformProblem(expression);
      if (problem) issues.push({ field: `actions.${i}.${field}`, rule: problem });
    });
    if (issues.length > 0) throw validationFailed(issues);
    await this.conditions.check(tenantId, input.conditions, input.trigger.eventTypes, 'conditions');
    const live = await this.endpoints.live(
      tenantId,
      actions.flatMap((a) => (a.type === 'invoke' ? [] : a.endpointIds)),
    );
    const unknown = actions.flatMap((a, i) =>
      (a.type === 'invoke' ? [] : a.endpointIds).flatMap((id, j) =>
        live.has(id) ? [] : [{ field: `actions.${i}.endpointIds.${j}`, rule: `is no endpoint of tenant ${tenantId}` }],
      ),
    );
    if (unknown.length > 0) throw new ApiError(422, 'unknown_endpoint', formatIssues(unknown), unknown);
    const notChat = actions.flatMap((a, i) =>
      a.type !== 'chat'
        ? []
        : a.endpointIds.flatMap((id, j) =>
            live.get(id) ? [] : [{ field: `actions.${i}.endpointIds.${j}`, rule: 'is a webhook endpoint: a chat action posts to chat endpoints only' }],
          ),
    );
    if (notChat.length > 0) throw new ApiError(422, 'not_a_chat_endpoint', formatIssues(notChat), notChat);
    const contracts = await this.contracts.liveContracts(
      tenantId,
      actions.flatMap((a) => (a.type === 'invoke' ? [a.contractId] : [])),
    );
    const unknownContracts = actions.flatMap((a, i) =>
      a.type === 'invoke' && !contracts.has(a.contractId) ? [{ field: `actions.${i}.contractId`, rule: `is no action contract of tenant ${tenantId}` }] : [],
    );
    if (unknownContracts.length > 0) throw new ApiError(422, 'unknown_contract', formatIssues(unknownContracts), unknownContracts);
    // A rule invokes as the key that saved it could: with actions:invoke and one of the contract's roles.
    const denied = actions.flatMap((a, i) => {
      if (a.type !== 'invoke') return [];
      const contract = contracts.get(a.contractId)!;
      if (hasScope(caller, 'actions:invoke') && mayInvoke(caller, contract)) return [];
      return [
        { field: `actions.${i}.contractId`, rule: `may be invoked only by a key with actions:invoke and one of the roles ${contract.allowedRoles.join(', ')}` },
      ];
    });
    if (denied.length > 0) throw new ApiError(403, 'forbidden', formatIssues(denied), denied);
    return { name: input.name, enabled: input.enabled, trigger: input.trigger, conditions: input.conditions, actions };
  }
}
