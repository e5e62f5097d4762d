import { Inject, Injectable } from '@nestjs/common';
import type { TenantId } from '@hookline/contracts';
import type { DataSource } from '@hookline/database';
import { DATA_SOURCE } from '@hookline/service-kit';
import type { PagePosition } from '../http/cursor';
import type { InboundLogRow, SourceFields, SourceRow, SourceStore } from './inbound-source.ports';

interface Row {
  id: string;
  tenant_id: TenantId;
  provider: string;
  name: string;
  secret: string | null;
  public_key: string | null;
  options: Record<string, unknown>;
  event_type_prefix: string;
  enabled: boolean;
  store_bodies: boolean;
  version: number;
  created_at: Date;
  updated_at: Date;
}

const COLUMNS = 'id, tenant_id, provider, name, secret, public_key, options, event_type_prefix, enabled, store_bodies, version, created_at, updated_at';
const toSource = (r: Row): SourceRow => ({
  id: r.id,
  tenantId: r.tenant_id,
  provider: r.provider,
  name: r.name,
  secret: r.secret,
  publicKey: r.public_key,
  options: r.options,
  eventTypePrefix: r.event_type_prefix,
  enabled: r.enabled,
  storeBodies: r.store_bodies,
  version: r.version,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});
const values = (f: SourceFields) => [f.provider, f.name, f.secret, f.publicKey, JSON.stringify(f.options), f.eventTypePrefix, f.enabled, f.storeBodies];
const isUniqueViolation = (err: unknown) => (err as { code?: string }).code === '23505';

@Injectable()
export class InboundSourceRepository implements SourceStore {
  constructor(@Inject(DATA_SOURCE) private readonly db: DataSource) {}

  async insert(tenantId: TenantId, id: string, fields: SourceFields): Promise<SourceRow | null> {
    try {
      const [row] = (await this.db.query(
        `INSERT INTO inbound_sources (id, tenant_id, provider, name, secret, public_key, options, event_type_prefix, enabled, store_bodies, version)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 1) RETURNING ${COLUMNS}`,
        [id, tenantId, ...values(fields)],
      )) as Row[];
      return toSource(row);
    } catch (err) {
      if (isUniqueViolation(err)) return null;
      throw err;
    }
  }

  async findLive(tenantId: TenantId, id: string): Promise<SourceRow | null> {
    const rows = (await this.db.query(`SELECT ${COLUMNS} FROM inbound_sources WHERE id = $1 AND tenant_id = $2 AND deleted_at IS NULL`, [
      id,
      tenantId,
    ])) as Row[];
    return rows.length > 0 ? toSource(rows[0]) : null;
  }

  /** Pages compare creation times at millisecond precision, the precision a cursor carries. */
  async list(tenantId: TenantId, limit: number, after?: PagePosition): Promise<SourceRow[]> {
    const createdMs = "date_trunc('milliseconds', created_at)";
    const rows = (await this.db.query(
      `SELECT ${COLUMNS} FROM inbound_sources WHERE tenant_id = $1 AND deleted_at IS NULL
         AND ($3::timestamptz IS NULL OR (${createdMs}, id) > ($3::timestamptz, $4::uuid))
       ORDER BY ${createdMs}, id LIMIT $2`,
      [tenantId, limit, after?.createdAt ?? null, after?.id ?? null],
    )) as Row[];
    return rows.map(toSource);
  }

  async replace(tenantId: TenantId, id: string, fields: SourceFields): Promise<SourceRow | null | 'name_taken'> {
    try {
      const [rows] = (await this.db.query(
        `UPDATE inbound_sources SET provider = $3, name = $4, secret = $5, public_key = $6, options = $7, event_type_prefix = $8, enabled = $9,
           store_bodies = $10, version = version + 1, updated_at = now()
         WHERE id = $1 AND tenant_id = $2 AND deleted_at IS NULL RETURNING ${COLUMNS}`,
        [id, tenantId, ...values(fields)],
      )) as [Row[], number]; // an UPDATE answers its rows and their count
      return rows.length > 0 ? toSource(rows[0]) : null;
    } catch (err) {
      if (isUniqueViolation(err)) return 'name_taken';
      throw err;
    }
  }

  async remove(tenantId: TenantId, id: string): Promise<boolean> {
    const [, count] = (await this.db.query(`UPDATE inbound_sources SET deleted_at = now() WHERE id = $1 AND tenant_id = $2 AND deleted_at IS NULL`, [
      id,
      tenantId,
    ])) as [unknown, number];
    return count > 0;
  }

  async log(sourceId: string, limit: number, before?: { receivedAt: Date; id: string }): Promise<InboundLogRow[]> {
    const rows = (await this.db.query(
      `SELECT id, source_id, received_at, outcome, status, reason, detail, size, event_ids, body FROM inbound_log
       WHERE source_id = $1 AND ($3::timestamptz IS NULL OR (received_at, id) < ($3::timestamptz, $4::uuid))
       ORDER BY received_at DESC, id DESC LIMIT $2`,
      [sourceId, limit, before?.receivedAt ?? null, before?.id ?? null],
    )) as {
      id: string;
      source_id: string;
      received_at: Date;
      outcome: InboundLogRow['outcome'];
      status: number;
      reason: string | null;
      detail: string | null;
      size: number;
      event_ids: string[];
      body: string | null;
    }[];
    return rows.map((r) => ({
      id: r.id,
      sourceId: r.source_id,
      receivedAt: r.received_at,
      outcome: r.outcome,
      status: r.status,
      reason: r.reason,
      detail: r.detail,
      size: r.size,
      eventIds: r.event_ids,
      body: r.body,
    }));
  }
}
