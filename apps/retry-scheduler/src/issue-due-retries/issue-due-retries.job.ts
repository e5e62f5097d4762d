import { Injectable } from '@nestjs/common';
import { PeriodicJob, type JobResult } from '@hookline/service-kit';
import type { RetrySchedulerConfig } from '../retry-scheduler.config';
import { DUE_BATCH, IssueDueRetries } from './issue-due-retries.usecase';

@Injectable()
export class IssueDueRetriesJob {
  constructor(private readonly issueDueRetries: IssueDueRetries) {}

  /** Polls the schedule; a full batch means more are due, so it polls again at once. Not ready after 30 s without a poll. */
  @PeriodicJob({ name: 'issue-due-retries', everyMs: (config: RetrySchedulerConfig) => config.RETRY_SCHEDULER_POLL_MS, readyWithinMs: 30_000 })
  async run(): Promise<JobResult> {
    return { more: (await this.issueDueRetries.execute()) === DUE_BATCH };
  }
}
