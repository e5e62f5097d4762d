import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { eventTypeKey, EventTypesChangedTopic, type EventTypeConfig } from '@hookline/contracts';
import type { CompactedView, KafkaClient, TopicNames } from '@hookline/kafka';
import { KAFKA, LOGGER, openCompactedView, Readiness, TOPICS } from '@hookline/service-kit';
import type { Logger } from 'pino';
import type { TenantCatalog } from './check-schemas.usecase';

/** Each tenant's settings per event type (schema mode, custom schemas), as carried by the compacted event-types topic. */
@Injectable()
export class EventCatalog implements TenantCatalog, OnModuleInit, OnApplicationShutdown {
  private readonly view: CompactedView<typeof EventTypesChangedTopic>;

  constructor(@Inject(KAFKA) kafka: KafkaClient, @Inject(TOPICS) topics: TopicNames, @Inject(LOGGER) logger: Logger, readiness: Readiness) {
    this.view = openCompactedView(kafka, topics, EventTypesChangedTopic, logger, 'ingest');
    readiness.add('event-catalog', () => this.view.syncToLatest(2_000));
  }

  async onModuleInit(): Promise<void> {
    await this.view.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.view.stop();
  }

  syncToLatest(): Promise<void> {
    return this.view.syncToLatest();
  }

  settingsOf(tenantId: string, type: string): EventTypeConfig | undefined {
    return this.view.get(eventTypeKey(tenantId, type));
  }
}
