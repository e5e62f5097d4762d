import { Injectable } from '@nestjs/common';
import { PeriodicJob } from '@hookline/service-kit';
import { PurgeEventIds } from './purge-event-ids.usecase';

@Injectable()
export class PurgeEventIdsJob {
  constructor(private readonly purgeEventIds: PurgeEventIds) {}

  /** Every 15 minutes: the table stays near a day of ids. */
  @PeriodicJob({ name: 'purge-event-ids', everyMs: 15 * 60_000 })
  async run(): Promise<void> {
    await this.purgeEventIds.execute();
  }
}
