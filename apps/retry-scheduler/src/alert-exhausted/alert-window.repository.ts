import { Inject, Injectable } from '@nestjs/common';
import type { DeliveryId, EndpointId, EventEnvelope } from '@hookline/contracts';
import type { DataSource, EntityManager } from '@hookline/database';
import { DATA_SOURCE } from '@hookline/service-kit';
import type { AlertWindow } from './alert-window';
import type { AlertWindows, PendingAlert, WindowChange } from './alert-exhausted.usecase';

interface WindowRow {
  endpoint_id: EndpointId;
  window_started_at: Date | null;
  subject_delivery_id: DeliveryId | null;
  backlog: string;
}

/** Each endpoint's `delivery.exhausted` window and backlog (tables `exhausted_alerts`, `exhausted_alert_backlog`). */
@Injectable()
export class AlertWindowRepository implements AlertWindows {
  constructor(@Inject(DATA_SOURCE) private readonly db: DataSource) {}

  async unpublished(endpointIds: EndpointId[]): Promise<PendingAlert[]> {
    if (endpointIds.length === 0) return [];
    const rows: { endpoint_id: EndpointId; event: EventEnvelope; trace_headers: Record<string, string> }[] = await this.db.query(
      `SELECT endpoint_id, event, trace_headers FROM exhausted_alerts WHERE endpoint_id = ANY($1::uuid[]) AND NOT published ORDER BY endpoint_id`,
      [endpointIds],
    );
    return rows.map((r) => ({ endpointId: r.endpoint_id, event: r.event, traceHeaders: r.trace_headers }));
  }

  async update(
    endpointIds: EndpointId[],
    deliveryIds: DeliveryId[],
    change: (endpointId: EndpointId, window: AlertWindow, inBacklog: ReadonlySet<DeliveryId>) => WindowChange,
  ): Promise<PendingAlert[]> {
    if (endpointIds.length === 0) return [];
    const ids = [...new Set(endpointIds)].sort();
    return this.db.transaction(async (tx: EntityManager) => {
      // A row to lock even for an endpoint never announced, so two instances during a rebalance take turns.
      await tx.query(`INSERT INTO exhausted_alerts (endpoint_id) SELECT unnest($1::uuid[]) ON CONFLICT (endpoint_id) DO NOTHING`, [ids]);
      const windows: WindowRow[] = await tx.query(
        `SELECT w.endpoint_id, w.window_started_at, w.subject_delivery_id,
                (SELECT count(*) FROM exhausted_alert_backlog b WHERE b.endpoint_id = w.endpoint_id) AS backlog
           FROM exhausted_alerts w WHERE w.endpoint_id = ANY($1::uuid[]) ORDER BY w.endpoint_id FOR UPDATE OF w`,
        [ids],
      );
      const counted: { endpoint_id: EndpointId; delivery_id: DeliveryId }[] = await tx.query(
        `SELECT endpoint_id, delivery_id FROM exhausted_alert_backlog WHERE endpoint_id = ANY($1::uuid[]) AND delivery_id = ANY($2::uuid[])`,
        [ids, deliveryIds],
      );
      const alerts: PendingAlert[] = [];
      const adds: { endpointId: EndpointId; deliveryId: DeliveryId }[] = [];
      for (const row of windows) {
        const inBacklog = new Set(counted.filter((c) => c.endpoint_id === row.endpoint_id).map((c) => c.delivery_id));
        const window: AlertWindow = { startedAt: row.window_started_at, subjectDeliveryId: row.subject_delivery_id, backlog: Number(row.backlog) };
        const { announce, backlogAdds } = change(row.endpoint_id, window, inBacklog);
        if (announce) {
          alerts.push(announce.alert);
          await tx.query(`DELETE FROM exhausted_alert_backlog WHERE endpoint_id = $1`, [row.endpoint_id]);
          await tx.query(
            `UPDATE exhausted_alerts SET window_started_at = $2, subject_delivery_id = $3, event = $4, trace_headers = $5, published = false
              WHERE endpoint_id = $1`,
            [
              row.endpoint_id,
              announce.startedAt.toISOString(),
              announce.subjectDeliveryId,
              JSON.stringify(announce.alert.event),
              JSON.stringify(announce.alert.traceHeaders),
            ],
          );
        }
        adds.push(...backlogAdds.map((deliveryId) => ({ endpointId: row.endpoint_id, deliveryId })));
      }
      if (adds.length > 0)
        await tx.query(`INSERT INTO exhausted_alert_backlog (endpoint_id, delivery_id) SELECT * FROM unnest($1::uuid[], $2::uuid[]) ON CONFLICT DO NOTHING`, [
          adds.map((a) => a.endpointId),
          adds.map((a) => a.deliveryId),
        ]);
      return alerts;
    });
  }

  /** Only the event named: a newer alert stored since stays unpublished. */
  async markPublished(alerts: PendingAlert[]): Promise<void> {
    if (alerts.length === 0) return;
    await this.db.query(
      `UPDATE exhausted_alerts w SET published = true FROM unnest($1::uuid[], $2::text[]) AS a(endpoint_id, event_id)
        WHERE w.endpoint_id = a.endpoint_id AND w.event->>'id' = a.event_id`,
      [alerts.map((a) => a.endpointId), alerts.map((a) => a.event.id)],
    );
  }
}
