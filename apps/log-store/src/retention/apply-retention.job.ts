import { Injectable } from '@nestjs/common';
import { PeriodicJob } from '@hookline/service-kit';
import { ApplyRetention } from './apply-retention.usecase';

@Injectable()
export class ApplyRetentionJob {
  constructor(private readonly applyRetention: ApplyRetention) {}

  /** At start and then hourly: retention is counted in days, so an hour late deletes nothing it should not. */
  @PeriodicJob({ name: 'apply-retention', everyMs: 3_600_000 })
  async run(): Promise<void> {
    await this.applyRetention.execute();
  }
}
