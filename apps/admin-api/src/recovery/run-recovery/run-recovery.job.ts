import { Injectable } from '@nestjs/common';
import { PeriodicJob, type JobResult } from '@hookline/service-kit';
import type { AdminConfig } from '../../admin-api.config';
import { RunRecovery } from './run-recovery.usecase';

@Injectable()
export class RunRecoveryJob {
  constructor(private readonly runRecovery: RunRecovery) {}

  /** Looks for a recovery job to work on every HOOKLINE_RECOVERY_POLL_MS; while one has pages left, runs again at once (each page paced). */
  @PeriodicJob({ name: 'run-recovery', everyMs: (config: AdminConfig) => config.HOOKLINE_RECOVERY_POLL_MS })
  async run(): Promise<JobResult> {
    return this.runRecovery.execute();
  }
}
