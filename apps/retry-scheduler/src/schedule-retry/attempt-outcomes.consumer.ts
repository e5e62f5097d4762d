import { Injectable } from '@nestjs/common';
import { AttemptsCompletedTopic, DeliveriesDeferredTopic } from '@hookline/contracts';
import { isBatchOf, type BatchOf } from '@hookline/kafka';
import { ConsumeBatches } from '@hookline/service-kit';
import { TrackFailureRuns } from '../track-failure-runs/track-failure-runs.usecase';
import { ScheduleRetry } from './schedule-retry.usecase';

const TOPICS = [AttemptsCompletedTopic, DeliveriesDeferredTopic] as const;

@Injectable()
export class AttemptOutcomesConsumer {
  constructor(
    private readonly scheduleRetry: ScheduleRetry,
    private readonly trackFailureRuns: TrackFailureRuns,
  ) {}

  /**
   * Attempt outcomes and deferrals → the durable schedule, then the deliveries
   * that ended → their endpoints' failure runs; the offset is committed once
   * both are written (a redone batch counts no delivery twice).
   */
  @ConsumeBatches({ group: 'retry-scheduler', topics: TOPICS, partitionsConsumedConcurrently: 2 })
  async handle(batch: BatchOf<typeof TOPICS>): Promise<void> {
    if (isBatchOf(batch, AttemptsCompletedTopic)) {
      const endings = await this.scheduleRetry.execute(
        batch.messages.map((m) => ({ outcome: m.value, traceHeaders: m.headers })),
        [],
      );
      await this.trackFailureRuns.execute(endings);
    } else if (isBatchOf(batch, DeliveriesDeferredTopic))
      await this.scheduleRetry.execute(
        [],
        batch.messages.map((m) => ({ deferred: m.value, traceHeaders: m.headers })),
      );
  }
}
