import { Inject, Injectable } from '@nestjs/common';
import type { SchemaMode, TenantId } from '@hookline/contracts';
import type { JsonSchema } from '@hookline/catalog';
import type { DataSource, EntityManager } from '@hookline/database';
import { DATA_SOURCE } from '@hookline/service-kit';
import type { EventTypeChange, EventTypeRow, EventTypeStore, EventTypeVersion } from './event-type.ports';
import type { PublishedEventTypes } from '../publish-event-type-changes/publish-event-type-changes.usecase';

interface Row {
  tenant_id: TenantId;
  name: string;
  builtin: boolean;
  description: string;
  schema: JsonSchema | null;
  example: Record<string, unknown> | null;
  version: number;
  schema_mode: SchemaMode;
  deprecated: boolean;
  revision: number;
  published_revision: number;
  created_at: Date;
  updated_at: Date;
}

const COLUMNS =
  'tenant_id, name, builtin, description, schema, example, version, schema_mode, deprecated, revision, published_revision, created_at, updated_at';

const toRow = (r: Row): EventTypeRow & { publishedRevision: number } => ({
  tenantId: r.tenant_id,
  name: r.name,
  builtin: r.builtin,
  description: r.description,
  schema: r.schema,
  example: r.example,
  version: r.version,
  schemaMode: r.schema_mode,
  deprecated: r.deprecated,
  revision: r.revision,
  publishedRevision: r.published_revision,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

const json = (value: unknown) => (value === null ? null : JSON.stringify(value));

@Injectable()
export class EventTypeRepository implements EventTypeStore, PublishedEventTypes {
  constructor(@Inject(DATA_SOURCE) private readonly db: DataSource) {}

  insertCustom(row: Omit<EventTypeRow, 'revision' | 'createdAt' | 'updatedAt' | 'builtin' | 'version'>): Promise<EventTypeRow | null> {
    return this.db.transaction(async (tx: EntityManager) => {
      const inserted = (await tx.query(
        `INSERT INTO event_types (tenant_id, name, builtin, description, schema, example, version, schema_mode, deprecated)
         VALUES ($1, $2, false, $3, $4, $5, 1, $6, $7) ON CONFLICT (tenant_id, name) DO NOTHING RETURNING ${COLUMNS}`,
        [row.tenantId, row.name, row.description, json(row.schema), json(row.example), row.schemaMode, row.deprecated],
      )) as Row[];
      if (inserted.length === 0) return null;
      await tx.query(`INSERT INTO event_type_versions (tenant_id, name, version, description, schema, example) VALUES ($1, $2, 1, $3, $4, $5)`, [
        row.tenantId,
        row.name,
        row.description,
        json(row.schema),
        json(row.example),
      ]);
      return toRow(inserted[0]);
    });
  }

  async find(tenantId: TenantId, name: string): Promise<EventTypeRow | null> {
    const rows = (await this.db.query(`SELECT ${COLUMNS} FROM event_types WHERE tenant_id = $1 AND name = $2`, [tenantId, name])) as Row[];
    return rows.length > 0 ? toRow(rows[0]) : null;
  }

  async list(tenantId: TenantId): Promise<EventTypeRow[]> {
    const rows = (await this.db.query(`SELECT ${COLUMNS} FROM event_types WHERE tenant_id = $1 ORDER BY name`, [tenantId])) as Row[];
    return rows.map(toRow);
  }

  async countCustom(tenantId: TenantId): Promise<number> {
    const [{ n }] = (await this.db.query(`SELECT count(*)::int AS n FROM event_types WHERE tenant_id = $1 AND NOT builtin`, [tenantId])) as { n: number }[];
    return n;
  }

  async versions(tenantId: TenantId, name: string): Promise<EventTypeVersion[]> {
    const rows = (await this.db.query(
      `SELECT version, description, schema, example, created_at FROM event_type_versions WHERE tenant_id = $1 AND name = $2 ORDER BY version DESC`,
      [tenantId, name],
    )) as { version: number; description: string; schema: JsonSchema; example: Record<string, unknown> | null; created_at: Date }[];
    return rows.map((r) => ({ version: r.version, description: r.description, schema: r.schema, example: r.example, createdAt: r.created_at }));
  }

  change(tenantId: TenantId, name: string, decide: (row: EventTypeRow | null) => EventTypeChange | null, builtin: boolean): Promise<EventTypeRow | null> {
    return this.db.transaction(async (tx: EntityManager) => {
      // A built-in type's settings row may not exist yet: create it empty first, so the lock below always has a row to take.
      if (builtin) {
        await tx.query(`INSERT INTO event_types (tenant_id, name, builtin, revision) VALUES ($1, $2, true, 0) ON CONFLICT (tenant_id, name) DO NOTHING`, [
          tenantId,
          name,
        ]);
      }
      const locked = (await tx.query(`SELECT ${COLUMNS} FROM event_types WHERE tenant_id = $1 AND name = $2 FOR UPDATE`, [tenantId, name])) as Row[];
      const current = locked.length > 0 ? toRow(locked[0]) : null;
      const fresh = current && current.revision === 0 ? null : current;
      const next = decide(fresh);
      if (!next) return null;
      const [updated] = (await tx.query(
        `UPDATE event_types SET description = $3, schema = $4, example = $5, version = $6, schema_mode = $7, deprecated = $8,
           revision = revision + 1, updated_at = now()
         WHERE tenant_id = $1 AND name = $2 RETURNING ${COLUMNS}`,
        [tenantId, name, next.description, json(next.schema), json(next.example), next.version, next.schemaMode, next.deprecated],
      )) as [Row[], number]; // an UPDATE answers its rows and their count
      const row = toRow(updated[0]);
      if (!builtin && next.schema) {
        await tx.query(
          `INSERT INTO event_type_versions (tenant_id, name, version, description, schema, example) VALUES ($1, $2, $3, $4, $5, $6)
           ON CONFLICT (tenant_id, name, version) DO UPDATE SET description = excluded.description, example = excluded.example`,
          [tenantId, name, next.version, next.description, json(next.schema), json(next.example)],
        );
      }
      return row;
    });
  }

  /** Under the row lock, so publications of one type happen in revision order. */
  withLocked<T>(
    tenantId: TenantId,
    name: string,
    work: (row: (EventTypeRow & { publishedRevision: number }) | null, markPublished: (revision: number) => Promise<void>) => Promise<T>,
  ): Promise<T> {
    return this.db.transaction(async (tx: EntityManager) => {
      const rows = (await tx.query(`SELECT ${COLUMNS} FROM event_types WHERE tenant_id = $1 AND name = $2 FOR UPDATE`, [tenantId, name])) as Row[];
      return work(rows.length > 0 ? toRow(rows[0]) : null, async (revision) => {
        await tx.query(`UPDATE event_types SET published_revision = $3 WHERE tenant_id = $1 AND name = $2`, [tenantId, name, revision]);
      });
    });
  }

  async unpublished(limit: number): Promise<{ tenantId: TenantId; name: string }[]> {
    const rows = (await this.db.query(`SELECT tenant_id, name FROM event_types WHERE published_revision < revision ORDER BY updated_at LIMIT $1`, [limit])) as {
      tenant_id: TenantId;
      name: string;
    }[];
    return rows.map((r) => ({ tenantId: r.tenant_id, name: r.name }));
  }
}
