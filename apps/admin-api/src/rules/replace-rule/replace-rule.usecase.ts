import type { TenantId } from '@hookline/contracts';
import { notFound, type Caller } from '@hookline/service-kit';
import type { RuleDefinition } from '../rule-definition';
import type { CreateRuleInput } from '../rule.dto';
import type { RulePublication, RuleRow, RuleStore } from '../rule.ports';

/** Replaces a rule whole (a new version); it applies to events accepted after the answer. */
export class ReplaceRule {
  constructor(
    private readonly rules: Pick<RuleStore, 'change'>,
    private readonly definition: Pick<RuleDefinition, 'check'>,
    private readonly publication: RulePublication,
  ) {}

  async execute(tenantId: TenantId, id: string, input: CreateRuleInput, caller: Pick<Caller, 'scopes' | 'roles'>): Promise<RuleRow> {
    const fields = await this.definition.check(tenantId, input, caller);
    const saved = await this.rules.change(tenantId, id, (rule) => Object.assign(rule, fields));
    if (!saved) throw notFound(`rule ${id}`);
    await this.publication.executeOrDefer(id);
    return saved;
  }
}
