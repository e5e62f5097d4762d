import type { TenantId } from '@hookline/contracts';
import { conflict, notFound } from '@hookline/service-kit';
import { z } from 'zod';
import type { RecoveryJob, RecoveryJobs } from '../recovery.ports';

/**
 * Cancels a queued or running recovery job. Its runner sees it before its
 * next page (a page already handed to Kafka is still sent). Cancelling a
 * cancelled job answers it as it is; a finished one is a 409.
 */
export class CancelRecoveryJob {
  constructor(private readonly jobs: Pick<RecoveryJobs, 'cancel'>) {}

  async execute(id: string, tenantId?: TenantId): Promise<RecoveryJob> {
    const job = z.uuid().safeParse(id).success ? await this.jobs.cancel(id, tenantId) : null;
    if (!job) throw notFound(`recovery job ${id}`);
    if (job.state === 'done' || job.state === 'failed')
      throw conflict('recovery_job_finished', `recovery job ${id} is ${job.state}: there is nothing left to cancel`);
    return job;
  }
}
