import type { TenantId } from '@hookline/contracts';
import { notFound } from '@hookline/service-kit';
import { z } from 'zod';
import type { RecoveryJob, RecoveryJobs } from '../recovery.ports';

/** One recovery job with its progress; 404 for an unknown id or, given a tenant, another tenant's job. */
export class GetRecoveryJob {
  constructor(private readonly jobs: Pick<RecoveryJobs, 'find'>) {}

  async execute(id: string, tenantId?: TenantId): Promise<RecoveryJob> {
    const job = z.uuid().safeParse(id).success ? await this.jobs.find(id, tenantId) : null;
    if (!job) throw notFound(`recovery job ${id}`);
    return job;
  }
}
