import { Injectable } from '@nestjs/common';
import { PeriodicJob, type JobResult } from '@hookline/service-kit';
import { PublishRuleChanges } from './publish-rule-changes.usecase';

const RELAY_BATCH = 500;

@Injectable()
export class RelayRuleChangesJob {
  constructor(private readonly publish: PublishRuleChanges) {}

  /** Every 5 s, publishes the rule changes whose publication failed (broker down, crash); a full batch runs again at once. */
  @PeriodicJob({ name: 'relay-rule-changes', everyMs: 5_000 })
  async run(): Promise<JobResult> {
    return { more: (await this.publish.relayUnpublished(RELAY_BATCH)) === RELAY_BATCH };
  }
}
