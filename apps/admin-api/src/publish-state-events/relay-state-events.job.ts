import { Injectable } from '@nestjs/common';
import { PeriodicJob, type JobResult } from '@hookline/service-kit';
import { PublishStateEvents } from './publish-state-events.usecase';

const RELAY_BATCH = 500;

@Injectable()
export class RelayStateEventsJob {
  constructor(private readonly publish: PublishStateEvents) {}

  /**
   * Every 5 s, emits the `endpoint.*` events not emitted at once (broker down,
   * the endpoint version not yet published, a crash). Each is emitted as its
   * change commits, so this only repairs (docs/small-box.md).
   */
  @PeriodicJob({ name: 'relay-endpoint-state-events', everyMs: 5_000 })
  async run(): Promise<JobResult> {
    return { more: (await this.publish.execute(RELAY_BATCH)) === RELAY_BATCH };
  }
}
