import { DynamicModule, Module } from '@nestjs/common';
import { builtinEventType, SchemaValidators } from '@hookline/catalog';
import { masterKeyring } from '@hookline/config';
import { newEventId } from '@hookline/contracts';
import { UndiciSender } from '@hookline/egress';
import type { ProviderTools } from '@hookline/inbound';
import type { BatchingProducer } from '@hookline/kafka';
import { apiKeyAuth, CoreModule, LOGGER, OpenApiModule, PRODUCER, systemClock, writeIdempotency } from '@hookline/service-kit';
import type { Logger } from 'pino';
import { AcceptCoalescer } from './accept-events/accept-coalescer';
import { AcceptEvents } from './accept-events/accept-events.usecase';
import { EventIdRepository } from './accept-events/event-id.repository';
import { EventsController } from './events/events.controller';
import { INGEST_GROUP_MAX_EVENTS, INGEST_GROUPS_IN_FLIGHT, type IngestConfig } from './ingest.config';
import { IngestionConsumer } from './kafka-ingestion/ingestion.consumer';
import { PurgeEventIdsJob } from './purge-event-ids/purge-event-ids.job';
import { PurgeEventIds } from './purge-event-ids/purge-event-ids.usecase';
import { CheckSchemas } from './schemas/check-schemas.usecase';
import { INBOUND_BASE_URL, InboundController } from './inbound/inbound.controller';
import { InboundRepository } from './inbound/inbound.repository';
import { PurgeInboundLogJob } from './inbound/purge-inbound-log/purge-inbound-log.job';
import { EgressProviderTools, PROVIDER_TOOLS } from './inbound/provider-tools';
import { ReceiveCallback } from './inbound/receive-callback.usecase';
import { EventCatalog } from './schemas/event-catalog';

@Module({})
export class AppModule {
  static register(config: IngestConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        // Every send is already a group (accepts gathered by the AcceptCoalescer, or one ingestion-topic batch):
        // a producer linger on top would only delay the 202.
        CoreModule.forRoot({ service: 'ingest', config, entities: [], producer: { lingerMs: 0 } }),
        writeIdempotency(),
        OpenApiModule.forRoot(
          {
            title: 'Hookline ingest API',
            version: '1',
            description:
              'Events in: one at a time or in batches of up to 500, each validated, deduplicated for 24 h and delivered to every subscribed endpoint.',
          },
          { idempotentWrites: true },
        ),
      ],
      controllers: [EventsController, InboundController],
      providers: [
        ...apiKeyAuth(config.HOOKLINE_ADMIN_TOKEN),
        EventIdRepository,
        {
          provide: AcceptEvents,
          inject: [EventIdRepository, PRODUCER],
          useFactory: (eventIds: EventIdRepository, producer: BatchingProducer) => new AcceptEvents(eventIds, producer, systemClock, newEventId),
        },
        {
          provide: AcceptCoalescer,
          inject: [AcceptEvents],
          useFactory: (acceptEvents: AcceptEvents) =>
            new AcceptCoalescer(acceptEvents, {
              lingerMs: config.HOOKLINE_INGEST_LINGER_MS,
              maxEvents: INGEST_GROUP_MAX_EVENTS,
              maxInFlight: INGEST_GROUPS_IN_FLIGHT,
            }),
        },
        {
          provide: PurgeEventIds,
          inject: [EventIdRepository, LOGGER],
          useFactory: (eventIds: EventIdRepository, logger: Logger) => new PurgeEventIds(eventIds, logger),
        },
        EventCatalog,
        {
          provide: CheckSchemas,
          inject: [EventCatalog, LOGGER],
          useFactory: (catalog: EventCatalog, logger: Logger) =>
            new CheckSchemas(catalog, new SchemaValidators(), (type) => builtinEventType(type)?.schema, logger),
        },
        IngestionConsumer,
        PurgeEventIdsJob,
        InboundRepository,
        PurgeInboundLogJob,
        { provide: INBOUND_BASE_URL, useValue: config.HOOKLINE_INBOUND_BASE_URL ?? null },
        // Certificates and confirmations leave through the same SSRF-safe egress as deliveries.
        {
          provide: PROVIDER_TOOLS,
          useFactory: () => new EgressProviderTools(new UndiciSender({ allowPrivateTargets: config.HOOKLINE_ALLOW_PRIVATE_TARGETS })),
        },
        {
          provide: ReceiveCallback,
          inject: [InboundRepository, AcceptCoalescer, PROVIDER_TOOLS, LOGGER],
          useFactory: (store: InboundRepository, accept: AcceptCoalescer, tools: ProviderTools, logger: Logger) =>
            new ReceiveCallback(store, masterKeyring(config), accept, tools, logger),
        },
      ],
    };
  }
}
