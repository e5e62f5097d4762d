import type { TenantId } from '@hookline/contracts';
import { notFound } from '@hookline/service-kit';
import type { RulePublication, RuleRow, RuleStore } from '../rule.ports';

/** Renames, enables or disables a rule (a new version). */
export class ChangeRule {
  constructor(
    private readonly rules: Pick<RuleStore, 'change'>,
    private readonly publication: RulePublication,
  ) {}

  async execute(tenantId: TenantId, id: string, patch: { name?: string; enabled?: boolean }): Promise<RuleRow> {
    const saved = await this.rules.change(tenantId, id, (rule) => {
      if (patch.name !== undefined) rule.name = patch.name;
      if (patch.enabled !== undefined) rule.enabled = patch.enabled;
    });
    if (!saved) throw notFound(`rule ${id}`);
    await this.publication.executeOrDefer(id);
    return saved;
  }
}
