import { DynamicModule, Module } from '@nestjs/common';
import { apiKeyAuth, CoreModule, writeIdempotency } from '@hookline/service-kit';
import { AcceptEvents } from './accept-events/accept-events.usecase';
import { EventIdRepository } from './accept-events/event-id.repository';
import { EventsController } from './events/events.controller';
import type { IngestConfig } from './ingest.config';
import { IngestionConsumer } from './kafka-ingestion/ingestion.consumer';

@Module({})
export class AppModule {
  static register(config: IngestConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [CoreModule.forRoot({ service: 'ingest', config, entities: [] }), writeIdempotency()],
      controllers: [EventsController],
      providers: [...apiKeyAuth(config.HOOKLINE_ADMIN_TOKEN), EventIdRepository, AcceptEvents, IngestionConsumer],
    };
  }
}
