import { Injectable } from '@nestjs/common';
import { PeriodicJob, type JobResult } from '@hookline/service-kit';
import { ReleaseHeld } from './release-held.usecase';

@Injectable()
export class ReleaseHeldJob {
  constructor(private readonly releaseHeld: ReleaseHeld) {}

  /** Once a second: the pace of a release is its page per endpoint per run, so a full run does not run again at once. */
  @PeriodicJob({ name: 'release-held-deliveries', everyMs: 1_000, readyWithinMs: 30_000 })
  async run(): Promise<JobResult> {
    await this.releaseHeld.execute();
    return { more: false };
  }
}
