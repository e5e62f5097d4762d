import { Injectable } from '@nestjs/common';
import type { DeliveryId, TenantId } from '@hookline/contracts';
import type { ReplayableDelivery } from '../replay/replay.ports';
import { DELIVERY_COLUMNS, ReplayRepository, toReplayable, type DeliveryRow } from '../replay/replay.repository';
import type { RecoveryLog, RecoverySelection } from './recovery.ports';

/**
 * The delivery log as recoveries read it. Every query is led by the
 * endpoint and creation time through deliveries_endpoint (endpoint_id,
 * created_at DESC), so a recovery reads one endpoint's window, not the log.
 * Test deliveries are never recovered, nor deliveries the log changed after
 * the selection's `asOf`.
 */
@Injectable()
export class RecoveryLogRepository extends ReplayRepository implements RecoveryLog {
  async count(s: RecoverySelection): Promise<number> {
    const rows = (await this.db.query(
      `SELECT count(*)::int AS n FROM deliveries
       WHERE endpoint_id = $1 AND tenant_id = $2 AND created_at >= $3 AND created_at < $4 AND status = ANY($5::text[]) AND mode = 'live'
         AND updated_at < $6`,
      [s.endpointId, s.tenantId, s.since, s.until, s.statuses, s.asOf],
    )) as { n: number }[];
    return rows[0].n;
  }

  async page(s: RecoverySelection, after: { createdAt: Date; id: DeliveryId } | null, limit: number): Promise<ReplayableDelivery[]> {
    const rows = (await this.db.query(
      `SELECT ${DELIVERY_COLUMNS} FROM deliveries
       WHERE endpoint_id = $1 AND tenant_id = $2 AND created_at >= $3 AND created_at < $4 AND status = ANY($5::text[]) AND mode = 'live'
         AND updated_at < $9
         AND ($6::timestamptz IS NULL OR (created_at, id) > ($6, $7::uuid))
       ORDER BY created_at, id LIMIT $8`,
      [s.endpointId, s.tenantId, s.since, s.until, s.statuses, after?.createdAt ?? null, after?.id ?? null, limit, s.asOf],
    )) as DeliveryRow[];
    return rows.map(toReplayable);
  }

  async deliveries(tenantId: TenantId, ids: DeliveryId[]): Promise<ReplayableDelivery[]> {
    if (ids.length === 0) return [];
    const rows = (await this.db.query(`SELECT ${DELIVERY_COLUMNS} FROM deliveries WHERE id = ANY($1::uuid[]) AND tenant_id = $2`, [
      ids,
      tenantId,
    ])) as DeliveryRow[];
    return rows.map(toReplayable);
  }
}
