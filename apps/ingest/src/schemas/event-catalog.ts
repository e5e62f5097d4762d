import { Inject, Injectable } from '@nestjs/common';
import { eventTypeKey, EventTypesChangedTopic, type EventTypeConfig } from '@hookline/contracts';
import type { KafkaClient, TopicNames } from '@hookline/kafka';
import { CompactedDirectory, KAFKA, LOGGER, Readiness, TOPICS } from '@hookline/service-kit';
import type { Logger } from 'pino';
import type { TenantCatalog } from './check-schemas.usecase';

/** Each tenant's settings per event type (schema mode, custom schemas), as carried by the compacted event-types topic. */
@Injectable()
export class EventCatalog extends CompactedDirectory<typeof EventTypesChangedTopic> implements TenantCatalog {
  constructor(@Inject(KAFKA) kafka: KafkaClient, @Inject(TOPICS) topics: TopicNames, @Inject(LOGGER) logger: Logger, readiness: Readiness) {
    super({ kafka, topics, logger, readiness }, { contract: EventTypesChangedTopic, service: 'ingest', check: 'event-catalog' });
  }

  settingsOf(tenantId: string, type: string): EventTypeConfig | undefined {
    return this.view.get(eventTypeKey(tenantId, type));
  }
}
