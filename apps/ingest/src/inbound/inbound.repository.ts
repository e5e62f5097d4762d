import { Inject, Injectable } from '@nestjs/common';
import type { DataSource } from '@hookline/database';
import { DATA_SOURCE } from '@hookline/service-kit';
import type { InboundLogEntry, InboundSource, InboundStore } from './inbound.ports';

@Injectable()
export class InboundRepository implements InboundStore {
  constructor(@Inject(DATA_SOURCE) private readonly db: DataSource) {}

  async source(id: string): Promise<InboundSource | null> {
    const rows = (await this.db.query(
      `SELECT id, tenant_id, provider, secret, public_key, options, event_type_prefix, enabled, store_bodies FROM inbound_sources WHERE id = $1 AND deleted_at IS NULL`,
      [id],
    )) as {
      id: string;
      tenant_id: string;
      provider: string;
      secret: string | null;
      public_key: string | null;
      options: Record<string, unknown>;
      event_type_prefix: string;
      enabled: boolean;
      store_bodies: boolean;
    }[];
    const r = rows[0];
    if (!r) return null;
    return {
      id: r.id,
      tenantId: r.tenant_id,
      provider: r.provider,
      secret: r.secret,
      publicKey: r.public_key,
      options: r.options,
      eventTypePrefix: r.event_type_prefix,
      enabled: r.enabled,
      storeBodies: r.store_bodies,
    };
  }

  async record(e: InboundLogEntry): Promise<void> {
    await this.db.query(
      `INSERT INTO inbound_log (id, source_id, tenant_id, received_at, outcome, status, reason, detail, size, event_ids, body)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
      [e.id, e.sourceId, e.tenantId, e.receivedAt, e.outcome, e.status, e.reason, e.detail, e.size, e.eventIds, e.body],
    );
  }
}
