import { Injectable } from '@nestjs/common';
import { PeriodicJob, type JobResult } from '@hookline/service-kit';
import { PublishEndpointChanges } from './publish-endpoint-changes.usecase';

const RELAY_BATCH = 500;

@Injectable()
export class RelayEndpointChangesJob {
  constructor(private readonly publish: PublishEndpointChanges) {}

  /**
   * Every 5 s, publishes the changes whose publication failed (broker down,
   * crash); a full batch runs again at once. A change is published as it is
   * saved, so this only repairs: polling more often would only cost an idle
   * stack CPU (docs/small-box.md).
   */
  @PeriodicJob({ name: 'relay-endpoint-changes', everyMs: 5_000 })
  async run(): Promise<JobResult> {
    return { more: (await this.publish.relayUnpublished(RELAY_BATCH)) === RELAY_BATCH };
  }
}
