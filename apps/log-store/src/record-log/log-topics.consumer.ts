import { Injectable } from '@nestjs/common';
import {
  AttemptsCompletedTopic,
  AttemptsCompletedV1Topic,
  DeliveriesExhaustedTopic,
  DeliveriesRequestedTopic,
  EventsAcceptedTopic,
  isReissued,
  outcomeFromV1,
  type TopicContract,
} from '@hookline/contracts';
import { FETCH_IN_BULK, isBatchOf, type BatchOf } from '@hookline/kafka';
import { ConsumeBatches } from '@hookline/service-kit';
import { contextFromHeaders } from '@hookline/telemetry';
import { RecordLog, type LogBatch } from './record-log.usecase';

// v1 outcomes are read until those produced before the upgrade are logged (libs/contracts README, "Attempt outcomes").
const LOGGED = [EventsAcceptedTopic, DeliveriesRequestedTopic, AttemptsCompletedTopic, AttemptsCompletedV1Topic, DeliveriesExhaustedTopic] as const;

/** A request the retry-scheduler issued is never a delivery's first (`isFirstRequest`): nothing to write, so not even parsed. */
const reissued = (contract: TopicContract, _key: string | null, headers: Readonly<Record<string, string>>) =>
  contract === DeliveriesRequestedTopic && isReissued(headers);

@Injectable()
export class LogTopicsConsumer {
  constructor(private readonly recordLog: RecordLog) {}

  /**
   * Events, delivery requests, attempt outcomes and exhaustions → PostgreSQL, a batch of one topic at a time.
   * The log is off the delivery path: fetches wait for 64 KiB or 250 ms, so a low rate still writes in batches.
   */
  @ConsumeBatches({ group: 'log-store', topics: LOGGED, partitionsConsumedConcurrently: 4, maxBatch: 1000, headersSuffice: reissued, fetch: FETCH_IN_BULK })
  async handle(batch: BatchOf<typeof LOGGED>): Promise<void> {
    const log: LogBatch = { events: [], requests: [], attempts: [], exhausted: [] };
    if (isBatchOf(batch, EventsAcceptedTopic)) log.events = batch.messages.map((m) => m.value);
    else if (isBatchOf(batch, DeliveriesRequestedTopic)) log.requests = batch.messages.map((m) => m.value);
    else if (isBatchOf(batch, AttemptsCompletedTopic)) log.attempts = batch.messages.map((m) => ({ outcome: m.value, context: contextFromHeaders(m.headers) }));
    else if (isBatchOf(batch, AttemptsCompletedV1Topic))
      log.attempts = batch.messages.map((m) => ({ outcome: outcomeFromV1(m.value), context: contextFromHeaders(m.headers) }));
    else if (isBatchOf(batch, DeliveriesExhaustedTopic)) log.exhausted = batch.messages.map((m) => m.value);
    await this.recordLog.execute(log);
  }
}
