import type { TenantId } from '@hookline/contracts';
import { unprocessable, type Caller } from '@hookline/service-kit';
import type { RuleDefinition } from '../rule-definition';
import type { CreateRuleInput } from '../rule.dto';
import type { RulePublication, RuleRow, RuleStore } from '../rule.ports';

/** Rules a tenant may have: rules-engine holds every one in memory and checks each event against its tenant's. */
export const MAX_RULES_PER_TENANT = 1_000;

/** Creates a rule and publishes it to rules-engine: it runs for events accepted after the answer. */
export class CreateRule {
  constructor(
    private readonly rules: Pick<RuleStore, 'insert' | 'countLive'>,
    private readonly definition: Pick<RuleDefinition, 'check'>,
    private readonly publication: RulePublication,
    private readonly newId: () => string,
  ) {}

  async execute(tenantId: TenantId, input: CreateRuleInput, caller: Pick<Caller, 'scopes' | 'roles'>): Promise<RuleRow> {
    const fields = await this.definition.check(tenantId, input, caller);
    if ((await this.rules.countLive(tenantId)) >= MAX_RULES_PER_TENANT) {
      throw unprocessable('too_many_rules', 'name', `a tenant may have at most ${MAX_RULES_PER_TENANT} rules`);
    }
    const rule = await this.rules.insert(tenantId, this.newId(), fields);
    await this.publication.executeOrDefer(rule.id);
    return rule;
  }
}
