import { Injectable } from '@nestjs/common';
import {
  AttemptsCompletedTopic,
  AttemptsCompletedV1Topic,
  DeliveriesDeferredTopic,
  outcomeFromV1,
  successFromHeaders,
  withoutOutcomeHeaders,
  type SuccessFromHeaders,
  type TopicContract,
} from '@hookline/contracts';
import { isBatchOf, type BatchOf } from '@hookline/kafka';
import { ConsumeBatches } from '@hookline/service-kit';
import { TrackFailureRuns } from '../track-failure-runs/track-failure-runs.usecase';
import { ScheduleRetry } from './schedule-retry.usecase';

// v1 is read until the outcomes produced before the upgrade are consumed (libs/contracts README, "Attempt outcomes").
const TOPICS = [AttemptsCompletedTopic, AttemptsCompletedV1Topic, DeliveriesDeferredTopic] as const;

/**
 * A first attempt that succeeded (most outcomes) only ends its delivery: its
 * headers say all that takes, so its value is not parsed.
 */
const firstTrySuccess = (contract: TopicContract, key: string | null, headers: Readonly<Record<string, string>>) =>
  contract === AttemptsCompletedTopic && successFromHeaders(key, headers)?.attempt === 1;

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
  @ConsumeBatches({ group: 'retry-scheduler', topics: TOPICS, partitionsConsumedConcurrently: 2, headersSuffice: firstTrySuccess })
  async handle(batch: BatchOf<typeof TOPICS>): Promise<void> {
    if (isBatchOf(batch, AttemptsCompletedTopic)) {
      const successes = (batch.headersOnly ?? []).map((m) => successFromHeaders(m.key, m.headers)).filter((s): s is SuccessFromHeaders => s !== undefined);
      const endings = await this.scheduleRetry.execute(
        batch.messages.map((m) => ({ outcome: m.value, traceHeaders: withoutOutcomeHeaders(m.headers) })),
        [],
        successes,
      );
      await this.trackFailureRuns.execute(endings);
    } else if (isBatchOf(batch, AttemptsCompletedV1Topic)) {
      const endings = await this.scheduleRetry.execute(
        batch.messages.map((m) => ({ outcome: outcomeFromV1(m.value), traceHeaders: m.headers })),
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
