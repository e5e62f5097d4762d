import { DynamicModule, Module } from '@nestjs/common';
import { CoreModule } from '@hookline/service-kit';
import { IssueDueRetries } from './issue-due-retries/issue-due-retries.usecase';
import type { RetrySchedulerConfig } from './retry-scheduler.config';
import { RETRY_CONFIG } from './retry-scheduler.tokens';
import { AttemptOutcomesConsumer } from './schedule-retry/attempt-outcomes.consumer';
import { RetryScheduleRepository } from './schedule-retry/retry-schedule.repository';
import { ScheduleRetry } from './schedule-retry/schedule-retry.usecase';

@Module({})
export class AppModule {
  static register(config: RetrySchedulerConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [CoreModule.forRoot({ service: 'retry-scheduler', config, entities: [] })],
      providers: [{ provide: RETRY_CONFIG, useValue: config }, RetryScheduleRepository, ScheduleRetry, AttemptOutcomesConsumer, IssueDueRetries],
    };
  }
}
