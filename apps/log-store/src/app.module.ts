import { DynamicModule, Module } from '@nestjs/common';
import { CoreModule } from '@hookline/service-kit';
import { LOG_STORE_CONFIG, type LogStoreConfig } from './log-store.config';
import { DeliveryLogRepository } from './record-log/delivery-log.repository';
import { LogTopicsConsumer } from './record-log/log-topics.consumer';
import { RecordLog } from './record-log/record-log.usecase';
import { ApplyRetention } from './retention/apply-retention.usecase';

@Module({})
export class AppModule {
  static register(config: LogStoreConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [CoreModule.forRoot({ service: 'log-store', config, entities: [] })],
      providers: [{ provide: LOG_STORE_CONFIG, useValue: config }, DeliveryLogRepository, RecordLog, LogTopicsConsumer, ApplyRetention],
    };
  }
}
