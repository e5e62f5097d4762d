import { DynamicModule, Module } from '@nestjs/common';
import { CoreModule, LOGGER } from '@hookline/service-kit';
import type { Logger } from 'pino';
import type { LogStoreConfig } from './log-store.config';
import { DeliveryLogRepository } from './record-log/delivery-log.repository';
import { LogTopicsConsumer } from './record-log/log-topics.consumer';
import { RecordLog } from './record-log/record-log.usecase';
import { ApplyRetentionJob } from './retention/apply-retention.job';
import { ApplyRetention } from './retention/apply-retention.usecase';
import { RetentionRepository } from './retention/retention.repository';
import { setTimeout as sleep } from 'node:timers/promises';

@Module({})
export class AppModule {
  static register(config: LogStoreConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [CoreModule.forRoot({ service: 'log-store', config, entities: [] })],
      providers: [
        DeliveryLogRepository,
        { provide: RecordLog, inject: [DeliveryLogRepository], useFactory: (log: DeliveryLogRepository) => new RecordLog(log) },
        RetentionRepository,
        {
          provide: ApplyRetention,
          inject: [RetentionRepository, LOGGER],
          // Batches of 1,000 deliveries (with their attempts) take milliseconds each; the pause leaves the table to log-store's writers in between.
          useFactory: (store: RetentionRepository, logger: Logger) =>
            new ApplyRetention(store, { defaultDays: config.HOOKLINE_LOG_RETENTION_DAYS, batchSize: 1000, pauseMs: 50 }, (ms) => sleep(ms), logger),
        },
        LogTopicsConsumer,
        ApplyRetentionJob,
      ],
    };
  }
}
