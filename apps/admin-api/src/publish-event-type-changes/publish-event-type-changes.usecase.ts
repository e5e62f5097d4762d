import { EventTypesChangedTopic, type EventTypeConfig, type TenantId } from '@hookline/contracts';
import type { OutgoingMessage } from '@hookline/kafka';
import type { Logger } from 'pino';
import type { EventTypePublication, EventTypeRow } from '../event-types/event-type.ports';

/** Event type rows as publication needs them: locked one at a time, and those the topic lags behind. */
export interface PublishedEventTypes {
  withLocked<T>(
    tenantId: TenantId,
    name: string,
    work: (row: (EventTypeRow & { publishedRevision: number }) | null, markPublished: (revision: number) => Promise<void>) => Promise<T>,
  ): Promise<T>;
  /** Types whose latest revision has not reached the topic yet, oldest change first. */
  unpublished(limit: number): Promise<{ tenantId: TenantId; name: string }[]>;
}

/** The compacted event-types topic; resolves once the broker has the record. */
export interface EventTypesTopic {
  send(topic: typeof EventTypesChangedTopic, messages: OutgoingMessage<typeof EventTypesChangedTopic>[]): Promise<void>;
}

/**
 * Carries catalog changes from PostgreSQL (the source of truth) to the
 * compacted topic ingest reads, as endpoint changes are carried: published
 * right after the change is saved, under the row lock so the topic ends on the
 * latest revision; if that fails, the row keeps `published_revision <
 * revision` and the relay publishes it later.
 */
export class PublishEventTypeChanges implements EventTypePublication {
  constructor(
    private readonly types: PublishedEventTypes,
    private readonly topic: EventTypesTopic,
    private readonly logger: Logger,
  ) {}

  async execute(tenantId: TenantId, name: string): Promise<void> {
    await this.types.withLocked(tenantId, name, async (row, markPublished) => {
      if (!row || row.publishedRevision >= row.revision) return;
      await this.topic.send(EventTypesChangedTopic, [{ value: toConfig(row) }]);
      await markPublished(row.revision);
    });
  }

  /** Like execute, but a failure only logs: the change is saved and the relay publishes it later. */
  async executeOrDefer(tenantId: TenantId, name: string): Promise<void> {
    await this.execute(tenantId, name).catch((err) =>
      this.logger.warn({ err, tenantId, eventType: name }, 'publishing an event type change failed; the relay will retry'),
    );
  }

  /** Publishes every type the topic lags behind (the relay); returns how many it looked at. */
  async relayUnpublished(limit: number): Promise<number> {
    const pending = await this.types.unpublished(limit);
    for (const { tenantId, name } of pending) await this.execute(tenantId, name);
    return pending.length;
  }
}

/** What ingest needs of a type: the custom schema (null for a built-in type) and the settings. */
function toConfig(row: EventTypeRow): EventTypeConfig {
  return {
    tenantId: row.tenantId,
    name: row.name,
    schema: row.builtin ? null : row.schema,
    version: row.version,
    schemaMode: row.schemaMode,
    deprecated: row.deprecated,
    revision: row.revision,
    updatedAt: row.updatedAt.toISOString(),
  };
}
