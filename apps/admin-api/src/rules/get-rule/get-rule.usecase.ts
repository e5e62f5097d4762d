import type { TenantId } from '@hookline/contracts';
import { notFound } from '@hookline/service-kit';
import type { RuleRow, RuleStore } from '../rule.ports';

export class GetRule {
  constructor(private readonly rules: Pick<RuleStore, 'findLive'>) {}

  async execute(tenantId: TenantId, id: string): Promise<RuleRow> {
    const rule = await this.rules.findLive(tenantId, id);
    if (!rule) throw notFound(`rule ${id}`);
    return rule;
  }
}
