import { Inject, Injectable } from '@nestjs/common';
import type { DataSource, EntityManager } from '@hookline/database';
import { DATA_SOURCE } from '@hookline/service-kit';
import type { ExpiredEventIds } from '../purge-event-ids/purge-event-ids.usecase';
import { keyOf, type EventIdClaims, type EventKey } from './accept-events.usecase';

/** Event ids seen in the last 24 h, per tenant: the producer's dedup key. */
@Injectable()
export class EventIdRepository implements EventIdClaims, ExpiredEventIds {
  constructor(@Inject(DATA_SOURCE) private readonly db: DataSource) {}

  /**
   * Claims the ids inside one transaction and runs `publish` with the ones
   * that are new (or whose 24 h window expired) before committing. The claim
   * commits only if publishing succeeded, so a failed or crashed publish
   * leaves no trace and a retry publishes again; and a concurrent request with
   * the same id waits on the row lock and then sees it as a duplicate.
   */
  async claimWhile<T>(all: EventKey[], publish: (fresh: Set<string>) => Promise<T>): Promise<T> {
    // One statement may upsert a row only once: a batch repeating an id is folded first. Sorted, so two
    // concurrent claims sharing ids lock their rows in the same order and cannot deadlock.
    const keys = [...new Map(all.map((k) => [keyOf(k), k])).entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, k]) => k);
    return this.db.transaction(async (tx: EntityManager) => {
      const rows: { tenant_id: string; event_id: string }[] = keys.length
        ? await tx.query(
            `INSERT INTO ingested_event_ids (tenant_id, event_id)
             SELECT * FROM unnest($1::text[], $2::text[])
             ON CONFLICT (tenant_id, event_id) DO UPDATE SET first_seen_at = now()
               WHERE ingested_event_ids.first_seen_at < now() - interval '24 hours'
             RETURNING tenant_id, event_id`,
            [keys.map((k) => k.tenantId), keys.map((k) => k.eventId)],
          )
        : [];
      return publish(new Set(rows.map((r) => keyOf({ tenantId: r.tenant_id, eventId: r.event_id }))));
    });
  }

  /** Forgets ids older than the dedup window. */
  async purgeExpired(): Promise<number> {
    const result: [unknown[], number] = await this.db.query(`DELETE FROM ingested_event_ids WHERE first_seen_at < now() - interval '24 hours'`);
    return result[1];
  }
}
