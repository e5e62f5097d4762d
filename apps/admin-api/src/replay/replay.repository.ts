import { Inject, Injectable } from '@nestjs/common';
import type { DeliveryId, DeliveryMode, EndpointId, EventEnvelope, RuleOrigin, TenantId } from '@hookline/contracts';
import type { DataSource } from '@hookline/database';
import { DATA_SOURCE } from '@hookline/service-kit';
import type { ReplayableDelivery, ReplayLog } from './replay.ports';

interface DeliveryRow {
  id: DeliveryId;
  tenant_id: TenantId;
  endpoint_id: EndpointId;
  event_id: string;
  status: string;
  attempt_count: number;
  mode: DeliveryMode;
  created_at: Date;
  rule: RuleOrigin | null;
  body: unknown;
}

export const toReplayable = (r: DeliveryRow): ReplayableDelivery => ({
  id: r.id,
  tenantId: r.tenant_id,
  endpointId: r.endpoint_id,
  eventId: r.event_id,
  status: r.status,
  attemptCount: r.attempt_count,
  mode: r.mode,
  createdAt: r.created_at,
  ...(r.rule ? { rule: r.rule } : {}),
  // SQL NULL: no transformed body; a JSON null body comes back as null and is kept.
  ...(r.body !== null && r.body !== undefined ? { body: r.body } : {}),
});

export const DELIVERY_COLUMNS = `id, tenant_id, endpoint_id, event_id, status, attempt_count, mode, created_at, rule, body`;

/** Point reads of the delivery log by primary key: a replay costs the same at any log size. */
@Injectable()
export class ReplayRepository implements ReplayLog {
  constructor(@Inject(DATA_SOURCE) protected readonly db: DataSource) {}

  async findDelivery(id: DeliveryId, tenantId?: TenantId): Promise<ReplayableDelivery | null> {
    const rows = (await this.db.query(`SELECT ${DELIVERY_COLUMNS} FROM deliveries WHERE id = $1 AND ($2::text IS NULL OR tenant_id = $2)`, [
      id,
      tenantId ?? null,
    ])) as DeliveryRow[];
    return rows.length === 0 ? null : toReplayable(rows[0]);
  }

  async findEvents(tenantId: TenantId, eventIds: string[]): Promise<Map<string, EventEnvelope>> {
    if (eventIds.length === 0) return new Map();
    const rows = (await this.db.query(`SELECT id, tenant_id, type, data, occurred_at, received_at FROM events WHERE tenant_id = $1 AND id = ANY($2::text[])`, [
      tenantId,
      [...new Set(eventIds)],
    ])) as { id: string; tenant_id: TenantId; type: string; data: Record<string, unknown>; occurred_at: Date; received_at: Date }[];
    return new Map(
      rows.map((r) => [
        r.id,
        {
          id: r.id as EventEnvelope['id'],
          tenantId: r.tenant_id,
          type: r.type,
          data: r.data,
          occurredAt: r.occurred_at.toISOString(),
          receivedAt: r.received_at.toISOString(),
        },
      ]),
    );
  }
}

export type { DeliveryRow };
