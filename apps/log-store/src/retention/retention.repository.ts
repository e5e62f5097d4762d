import { Inject, Injectable } from '@nestjs/common';
import type { DataSource } from '@hookline/database';
import { DATA_SOURCE } from '@hookline/service-kit';
import type { Purged, RetentionStore } from './apply-retention.usecase';

/**
 * Retention's statements. Old rows are found through indexes led by the
 * tenant and the time (deliveries_tenant_created, events_tenant_received), so
 * a batch reads only what it deletes, however large the recent log is; a
 * delivery's attempts through attempts_delivery.
 */
// Any fixed number other than the migrations' (7305011).
const RETENTION_LOCK = 7_305_012;

@Injectable()
export class RetentionRepository implements RetentionStore {
  constructor(@Inject(DATA_SOURCE) private readonly db: DataSource) {}

  /** A loose index scan per table: one index probe per tenant, not a read of every row. */
  async tenantsInLog(): Promise<string[]> {
    const distinct = (table: string) => `(WITH RECURSIVE t(tenant_id) AS (
        (SELECT tenant_id FROM ${table} ORDER BY tenant_id LIMIT 1)
        UNION ALL
        SELECT (SELECT tenant_id FROM ${table} WHERE tenant_id > t.tenant_id ORDER BY tenant_id LIMIT 1) FROM t WHERE t.tenant_id IS NOT NULL
      ) SELECT tenant_id FROM t WHERE tenant_id IS NOT NULL)`;
    const rows = await this.db.query<{ tenant_id: string }[]>(`${distinct('deliveries')} UNION ${distinct('events')} ORDER BY tenant_id`);
    return rows.map((r) => r.tenant_id);
  }

  /** A session-level advisory lock on a connection of its own, held by an idle session (no snapshot, so vacuum is not held back). */
  async exclusively<T>(work: () => Promise<T>): Promise<T | null> {
    const session = this.db.createQueryRunner();
    await session.connect();
    try {
      const [{ locked }] = (await session.query(`SELECT pg_try_advisory_lock($1) AS locked`, [RETENTION_LOCK])) as { locked: boolean }[];
      if (!locked) return null;
      try {
        return await work();
      } finally {
        await session.query(`SELECT pg_advisory_unlock($1)`, [RETENTION_LOCK]);
      }
    } finally {
      await session.release();
    }
  }

  async retentionOverrides(): Promise<Map<string, number>> {
    const rows = await this.db.query<{ tenant_id: string; log_retention_days: number }[]>(
      `SELECT tenant_id, log_retention_days FROM tenant_settings WHERE log_retention_days IS NOT NULL`,
    );
    return new Map(rows.map((r) => [r.tenant_id, r.log_retention_days]));
  }

  async purgeDeliveries(tenantId: string, days: number, limit: number): Promise<Pick<Purged, 'deliveries' | 'attempts'>> {
    const [row] = await this.db.query<{ deliveries: number; attempts: number }[]>(
      `WITH doomed AS MATERIALIZED (
         SELECT id FROM deliveries WHERE tenant_id = $1 AND created_at < now() - make_interval(days => $2) LIMIT $3
       ), attempts_gone AS (
         DELETE FROM attempts a USING doomed WHERE a.delivery_id = doomed.id RETURNING 1
       ), deliveries_gone AS (
         DELETE FROM deliveries d USING doomed WHERE d.id = doomed.id RETURNING 1
       )
       SELECT (SELECT count(*) FROM deliveries_gone)::int AS deliveries, (SELECT count(*) FROM attempts_gone)::int AS attempts`,
      [tenantId, days, limit],
    );
    return row;
  }

  async purgeEvents(tenantId: string, days: number, limit: number): Promise<number> {
    // Events are never updated, so the row addresses found by the subquery are still theirs when deleted.
    const [row] = await this.db.query<{ events: number }[]>(
      `WITH gone AS (
         DELETE FROM events WHERE ctid = ANY (ARRAY(
           SELECT ctid FROM events WHERE tenant_id = $1 AND received_at < now() - make_interval(days => $2) LIMIT $3))
         RETURNING 1
       ) SELECT count(*)::int AS events FROM gone`,
      [tenantId, days, limit],
    );
    return row.events;
  }
}
