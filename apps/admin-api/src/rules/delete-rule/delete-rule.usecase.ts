import type { TenantId } from '@hookline/contracts';
import { notFound } from '@hookline/service-kit';
import type { Clock } from '../../endpoints/endpoint.ports';
import type { RulePublication, RuleStore } from '../rule.ports';

/** Deletes a rule: it runs for no event accepted after the answer; the deliveries it made stay in the log. */
export class DeleteRule {
  constructor(
    private readonly rules: Pick<RuleStore, 'change'>,
    private readonly publication: RulePublication,
    private readonly clock: Clock,
  ) {}

  async execute(tenantId: TenantId, id: string): Promise<void> {
    const deleted = await this.rules.change(tenantId, id, (rule) => {
      rule.deletedAt = this.clock.now();
    });
    if (!deleted) throw notFound(`rule ${id}`);
    await this.publication.executeOrDefer(id);
  }
}
