import type { TenantId } from '@hookline/contracts';
import { decodeCursor, toPage } from '../../http/cursor';
import type { RuleRow, RuleStore } from '../rule.ports';

/** A page of the tenant's live rules, oldest first, and the cursor of the next page (null on the last). */
export class ListRules {
  constructor(private readonly rules: Pick<RuleStore, 'list'>) {}

  async execute(tenantId: TenantId, page: { limit: number; cursor?: string }): Promise<{ page: RuleRow[]; nextCursor: string | null }> {
    return toPage(await this.rules.list(tenantId, page.limit + 1, decodeCursor(page.cursor)), page.limit);
  }
}
