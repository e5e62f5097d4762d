import { Injectable } from '@nestjs/common';
import { PeriodicJob, type JobResult } from '@hookline/service-kit';
import { PublishEventTypeChanges } from './publish-event-type-changes.usecase';

const RELAY_BATCH = 500;

@Injectable()
export class RelayEventTypeChangesJob {
  constructor(private readonly publish: PublishEventTypeChanges) {}

  /** Every 5 s, publishes the catalog changes whose publication failed (broker down, crash); a full batch runs again at once. */
  @PeriodicJob({ name: 'relay-event-type-changes', everyMs: 5_000 })
  async run(): Promise<JobResult> {
    return { more: (await this.publish.relayUnpublished(RELAY_BATCH)) === RELAY_BATCH };
  }
}
