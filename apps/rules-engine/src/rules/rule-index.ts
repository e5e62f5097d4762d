import { matchesEventType, type EventEnvelope, type RuleAction, type RuleConfig, type TenantId } from '@hookline/contracts';
import { CompiledCondition, parseCondition } from '@hookline/conditions';
import { CompiledTransform } from '@hookline/transform';
import type { Logger } from 'pino';

/** A rule with its condition and transformations compiled once per version. */
export interface CompiledRule {
  config: RuleConfig;
  condition: CompiledCondition | null;
  /** By action key: a `deliver` action's transform, an `invoke` action's input; null: none (the event's own body, or its data). */
  transforms: ReadonlyMap<string, CompiledTransform | null>;
}

/**
 * Every enabled rule by tenant, compiled: which rules an event sets off. A
 * rule the topic carries whose condition or transformation does not compile
 * (admin-api refuses those, so only a version mismatch could bring one) is
 * logged and not run: a rule is never run without its condition.
 */
export class RuleIndex {
  private readonly byTenant = new Map<TenantId, Map<string, CompiledRule>>();
  private readonly tenantOf = new Map<string, TenantId>();

  constructor(private readonly logger: Pick<Logger, 'error'>) {}

  apply(id: string, rule: RuleConfig | null): void {
    const previousTenant = this.tenantOf.get(id);
    if (previousTenant) this.byTenant.get(previousTenant)?.delete(id);
    this.tenantOf.delete(id);
    if (!rule || !rule.enabled) return;
    const compiled = this.compile(rule);
    if (!compiled) return;
    this.tenantOf.set(id, rule.tenantId);
    const rules = this.byTenant.get(rule.tenantId) ?? new Map<string, CompiledRule>();
    rules.set(id, compiled);
    this.byTenant.set(rule.tenantId, rules);
  }

  /** The tenant's enabled rules triggered by the event's type whose condition, if any, it matches. */
  rulesFor(event: EventEnvelope): CompiledRule[] {
    const rules = this.byTenant.get(event.tenantId);
    if (!rules) return [];
    const found: CompiledRule[] = [];
    for (const rule of rules.values()) {
      if (matchesEventType(rule.config.trigger.eventTypes, event.type) && (rule.condition === null || rule.condition.matches(event))) found.push(rule);
    }
    return found;
  }

  private compile(rule: RuleConfig): CompiledRule | null {
    try {
      let condition: CompiledCondition | null = null;
      if (rule.conditions !== null) {
        const parsed = parseCondition(rule.conditions, 'conditions');
        if (!parsed.ok) throw new Error(parsed.issues.map((i) => `${i.field}: ${i.rule}`).join('; '));
        condition = new CompiledCondition(parsed.condition);
      }
      const transforms = new Map(rule.actions.map((a) => [a.key, expressionOf(a) === null ? null : new CompiledTransform(expressionOf(a)!)]));
      return { config: rule, condition, transforms };
    } catch (err) {
      this.logger.error({ ruleId: rule.id, version: rule.version, reason: (err as Error).message }, 'rule does not compile; not run');
      return null;
    }
  }
}

/** An action's JSONata expression: a `deliver` action's transform, an `invoke` action's input; null for none. */
function expressionOf(action: RuleAction): string | null {
  if (action.type === 'deliver') return action.transform;
  if (action.type === 'invoke') return action.input;
  return null;
}
