import { DynamicModule, Module } from '@nestjs/common';
import { CoreModule, LOGGER } from '@hookline/service-kit';
import type { Logger } from 'pino';
import type { LogStoreConfig } from './log-store.config';
import { DeliveryLogRepository } from './record-log/delivery-log.repository';
import { LogTopicsConsumer } from './record-log/log-topics.consumer';
import { RecordLog } from './record-log/record-log.usecase';
import { ApplyRetentionJob } from './retention/apply-retention.job';
import { ApplyRetention } from './retention/apply-retention.usecase';

@Module({})
export class AppModule {
  static register(config: LogStoreConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [CoreModule.forRoot({ service: 'log-store', config, entities: [] })],
      providers: [
        DeliveryLogRepository,
        { provide: RecordLog, inject: [DeliveryLogRepository], useFactory: (log: DeliveryLogRepository) => new RecordLog(log) },
        {
          provide: ApplyRetention,
          inject: [DeliveryLogRepository, LOGGER],
          useFactory: (log: DeliveryLogRepository, logger: Logger) => new ApplyRetention(log, config.HOOKLINE_LOG_RETENTION_DAYS, logger),
        },
        LogTopicsConsumer,
        ApplyRetentionJob,
      ],
    };
  }
}
