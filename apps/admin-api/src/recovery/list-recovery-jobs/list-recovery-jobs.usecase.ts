import type { TenantId } from '@hookline/contracts';
import { toPage, type PagePosition } from '../../http/cursor';
import type { RecoveryJob, RecoveryJobs } from '../recovery.ports';

/** A tenant's recovery jobs, newest first. */
export class ListRecoveryJobs {
  constructor(private readonly jobs: Pick<RecoveryJobs, 'list'>) {}

  async execute(tenantId: TenantId, limit: number, after?: PagePosition): Promise<{ page: RecoveryJob[]; nextCursor: string | null }> {
    return toPage(await this.jobs.list(tenantId, limit + 1, after), limit);
  }
}
