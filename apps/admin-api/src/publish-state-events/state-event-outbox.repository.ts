import { Inject, Injectable } from '@nestjs/common';
import type { EndpointId, EventEnvelope } from '@hookline/contracts';
import type { DataSource, EntityManager } from '@hookline/database';
import { DATA_SOURCE } from '@hookline/service-kit';
import type { StateEventOutbox } from './publish-state-events.usecase';

@Injectable()
export class StateEventOutboxRepository implements StateEventOutbox {
  constructor(@Inject(DATA_SOURCE) private readonly db: DataSource) {}

  /**
   * Locks up to `limit` outbox rows whose endpoint version is already on the
   * endpoints topic (skipping rows another instance holds), oldest change
   * first, lets `publish` put them on Kafka, then deletes them, in one
   * transaction: a crash before the commit publishes them again, with the same ids.
   */
  async relayReady(limit: number, endpointId: EndpointId | undefined, publish: (events: EventEnvelope[]) => Promise<void>): Promise<number> {
    return this.db.transaction(async (tx: EntityManager) => {
      const rows: { id: string; event: EventEnvelope }[] = await tx.query(
        `SELECT o.id, o.event FROM endpoint_state_events o JOIN endpoints e ON e.id = o.endpoint_id
          WHERE e.published_version >= o.endpoint_version AND ($2::uuid IS NULL OR o.endpoint_id = $2::uuid)
          ORDER BY o.endpoint_version, o.created_at LIMIT $1 FOR UPDATE OF o SKIP LOCKED`,
        [limit, endpointId ?? null],
      );
      if (rows.length === 0) return 0;
      await publish(rows.map((r) => r.event));
      await tx.query(`DELETE FROM endpoint_state_events WHERE id = ANY($1::text[])`, [rows.map((r) => r.id)]);
      return rows.length;
    });
  }
}
