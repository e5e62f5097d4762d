import { Inject, Injectable } from '@nestjs/common';
import { DATA_SOURCE } from '@hookline/service-kit';
import type { DataSource } from '@hookline/database';

export interface EventKey {
  tenantId: string;
  eventId: string;
}

/** Event ids seen in the last 24 h, per tenant: the producer's dedup key. */
@Injectable()
export class EventIdRepository {
  constructor(@Inject(DATA_SOURCE) private readonly db: DataSource) {}

  /**
   * Records the keys and returns those that must be published: new keys, keys
   * whose 24 h window expired, and keys seen before whose publishing never
   * completed (the process died in between), so nothing accepted is lost.
   */
  async claim(all: EventKey[]): Promise<Set<string>> {
    // One statement may upsert a row only once: a batch repeating an id is folded first.
    const keys = [...new Map(all.map((k) => [keyOf(k), k])).values()];
    if (keys.length === 0) return new Set();
    const rows: { tenant_id: string; event_id: string }[] = await this.db.query(
      `WITH input AS (SELECT * FROM unnest($1::text[], $2::text[]) AS t(tenant_id, event_id)),
       claimed AS (
         INSERT INTO ingested_event_ids (tenant_id, event_id)
         SELECT tenant_id, event_id FROM input
         ON CONFLICT (tenant_id, event_id) DO UPDATE
           SET first_seen_at = now(), published = false
           WHERE ingested_event_ids.first_seen_at < now() - interval '24 hours'
         RETURNING tenant_id, event_id)
       SELECT tenant_id, event_id FROM claimed
       UNION
       SELECT e.tenant_id, e.event_id FROM ingested_event_ids e JOIN input i USING (tenant_id, event_id)
       WHERE e.published = false`,
      [keys.map((k) => k.tenantId), keys.map((k) => k.eventId)],
    );
    return new Set(rows.map((r) => keyOf({ tenantId: r.tenant_id, eventId: r.event_id })));
  }

  async markPublished(keys: EventKey[]): Promise<void> {
    if (keys.length === 0) return;
    await this.db.query(
      `UPDATE ingested_event_ids e SET published = true
       FROM unnest($1::text[], $2::text[]) AS t(tenant_id, event_id)
       WHERE e.tenant_id = t.tenant_id AND e.event_id = t.event_id`,
      [keys.map((k) => k.tenantId), keys.map((k) => k.eventId)],
    );
  }

  /** Forgets ids older than the dedup window. */
  async purgeExpired(): Promise<number> {
    const result: [unknown[], number] = await this.db.query(`DELETE FROM ingested_event_ids WHERE first_seen_at < now() - interval '24 hours'`);
    return result[1];
  }
}

export const keyOf = (k: EventKey) => `${k.tenantId}\u0000${k.eventId}`;
