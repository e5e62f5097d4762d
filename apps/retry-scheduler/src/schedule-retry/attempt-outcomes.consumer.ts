import { Injectable } from '@nestjs/common';
import { AttemptsCompletedTopic, DeliveriesDeferredTopic } from '@hookline/contracts';
import { isBatchOf, type BatchOf } from '@hookline/kafka';
import { ConsumeBatches } from '@hookline/service-kit';
import { ScheduleRetry } from './schedule-retry.usecase';

const TOPICS = [AttemptsCompletedTopic, DeliveriesDeferredTopic] as const;

@Injectable()
export class AttemptOutcomesConsumer {
  constructor(private readonly scheduleRetry: ScheduleRetry) {}

  /** Attempt outcomes and deferrals → the durable schedule; the offset is committed once the rows are written. */
  @ConsumeBatches({ group: 'retry-scheduler', topics: TOPICS, partitionsConsumedConcurrently: 2 })
  async handle(batch: BatchOf<typeof TOPICS>): Promise<void> {
    if (isBatchOf(batch, AttemptsCompletedTopic))
      await this.scheduleRetry.execute(
        batch.messages.map((m) => ({ outcome: m.value, traceHeaders: m.headers })),
        [],
      );
    else if (isBatchOf(batch, DeliveriesDeferredTopic))
      await this.scheduleRetry.execute(
        [],
        batch.messages.map((m) => ({ deferred: m.value, traceHeaders: m.headers })),
      );
  }
}
