import { DynamicModule, Module } from '@nestjs/common';
import type { BatchingProducer } from '@hookline/kafka';
import { DEFAULT_JITTER } from '@hookline/retry-policy';
import { CoreModule, LOGGER, PRODUCER, systemClock } from '@hookline/service-kit';
import type { Logger } from 'pino';
import { AlertExhausted } from './alert-exhausted/alert-exhausted.usecase';
import { AlertWindowRepository } from './alert-exhausted/alert-window.repository';
import { EndpointDirectory } from './endpoints/endpoint.directory';
import { ReleaseHeldJob } from './release-held/release-held.job';
import { ReleaseHeld } from './release-held/release-held.usecase';
import { FailureRunsRepository } from './track-failure-runs/failure-runs.repository';
import { TrackFailureRuns } from './track-failure-runs/track-failure-runs.usecase';
import { IssueDueRetriesJob } from './issue-due-retries/issue-due-retries.job';
import { IssueDueRetries } from './issue-due-retries/issue-due-retries.usecase';
import type { RetrySchedulerConfig } from './retry-scheduler.config';
import { AttemptOutcomesConsumer } from './schedule-retry/attempt-outcomes.consumer';
import { RetryScheduleRepository } from './schedule-retry/retry-schedule.repository';
import { ScheduleRetry } from './schedule-retry/schedule-retry.usecase';

@Module({})
export class AppModule {
  static register(config: RetrySchedulerConfig): DynamicModule {
    const policy = { schedule: config.HOOKLINE_RETRY_SCHEDULE, jitter: DEFAULT_JITTER };
    return {
      module: AppModule,
      imports: [CoreModule.forRoot({ service: 'retry-scheduler', config, entities: [] })],
      providers: [
        RetryScheduleRepository,
        AlertWindowRepository,
        EndpointDirectory,
        {
          provide: AlertExhausted,
          inject: [AlertWindowRepository, EndpointDirectory, PRODUCER, LOGGER],
          useFactory: (windows: AlertWindowRepository, endpoints: EndpointDirectory, producer: BatchingProducer, logger: Logger) =>
            new AlertExhausted(windows, endpoints, producer, systemClock, config.HOOKLINE_EXHAUSTED_EVENT_INTERVAL, logger),
        },
        {
          provide: ScheduleRetry,
          inject: [RetryScheduleRepository, PRODUCER, AlertExhausted, LOGGER],
          useFactory: (schedule: RetryScheduleRepository, producer: BatchingProducer, alerts: AlertExhausted, logger: Logger) =>
            new ScheduleRetry(schedule, producer, { raise: (dead) => alerts.execute(dead) }, policy, systemClock, Math.random, logger),
        },
        {
          provide: IssueDueRetries,
          inject: [RetryScheduleRepository, PRODUCER],
          useFactory: (schedule: RetryScheduleRepository, producer: BatchingProducer) => new IssueDueRetries(schedule, producer, systemClock),
        },
        FailureRunsRepository,
        {
          provide: TrackFailureRuns,
          inject: [FailureRunsRepository, EndpointDirectory, PRODUCER, LOGGER],
          useFactory: (runs: FailureRunsRepository, endpoints: EndpointDirectory, producer: BatchingProducer, logger: Logger) =>
            new TrackFailureRuns(runs, endpoints, producer, systemClock, logger),
        },
        {
          provide: ReleaseHeld,
          inject: [RetryScheduleRepository, EndpointDirectory, PRODUCER],
          useFactory: (held: RetryScheduleRepository, endpoints: EndpointDirectory, producer: BatchingProducer) =>
            new ReleaseHeld(held, endpoints, producer, systemClock, config.RETRY_SCHEDULER_RELEASE_PER_SECOND),
        },
        AttemptOutcomesConsumer,
        IssueDueRetriesJob,
        ReleaseHeldJob,
      ],
    };
  }
}
