import { Inject, Injectable } from '@nestjs/common';
import type { ChatTool, EndpointId, RuleAction, TenantId } from '@hookline/contracts';
import type { DataSource, EntityManager } from '@hookline/database';
import { DATA_SOURCE } from '@hookline/service-kit';
import type { PagePosition } from '../http/cursor';
import type { PublishedRules } from '../publish-rule-changes/publish-rule-changes.usecase';
import type { RuleFields, RuleRow, RuleStore, TenantContracts, TenantEndpoints } from './rule.ports';

interface Row {
  id: string;
  tenant_id: TenantId;
  name: string;
  enabled: boolean;
  trigger: { eventTypes: string[] };
  conditions: Record<string, unknown> | null;
  actions: RuleAction[];
  version: number;
  published_version: number;
  deleted_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

const COLUMNS = 'id, tenant_id, name, enabled, trigger, conditions, actions, version, published_version, deleted_at, created_at, updated_at';
const toRule = (r: Row): RuleRow => ({
  id: r.id,
  tenantId: r.tenant_id,
  name: r.name,
  enabled: r.enabled,
  trigger: r.trigger,
  conditions: r.conditions,
  actions: r.actions,
  version: r.version,
  publishedVersion: r.published_version,
  deletedAt: r.deleted_at,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

@Injectable()
export class RuleRepository implements RuleStore, PublishedRules, TenantEndpoints, TenantContracts {
  constructor(@Inject(DATA_SOURCE) private readonly db: DataSource) {}

  async insert(tenantId: TenantId, id: string, fields: RuleFields): Promise<RuleRow> {
    const [row] = (await this.db.query(
      `INSERT INTO rules (id, tenant_id, name, enabled, trigger, conditions, actions) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${COLUMNS}`,
      [
        id,
        tenantId,
        fields.name,
        fields.enabled,
        JSON.stringify(fields.trigger),
        fields.conditions === null ? null : JSON.stringify(fields.conditions),
        JSON.stringify(fields.actions),
      ],
    )) as Row[];
    return toRule(row);
  }

  async findLive(tenantId: TenantId, id: string): Promise<RuleRow | null> {
    const rows = (await this.db.query(`SELECT ${COLUMNS} FROM rules WHERE id = $1 AND tenant_id = $2 AND deleted_at IS NULL`, [id, tenantId])) as Row[];
    return rows.length > 0 ? toRule(rows[0]) : null;
  }

  /** Pages compare creation times at millisecond precision, the precision a cursor carries. */
  async list(tenantId: TenantId, limit: number, after?: PagePosition): Promise<RuleRow[]> {
    const createdMs = "date_trunc('milliseconds', created_at)";
    const rows = (await this.db.query(
      `SELECT ${COLUMNS} FROM rules WHERE tenant_id = $1 AND deleted_at IS NULL
         AND ($3::timestamptz IS NULL OR (${createdMs}, id) > ($3::timestamptz, $4::uuid))
       ORDER BY ${createdMs}, id LIMIT $2`,
      [tenantId, limit, after?.createdAt ?? null, after?.id ?? null],
    )) as Row[];
    return rows.map(toRule);
  }

  async countLive(tenantId: TenantId): Promise<number> {
    const [{ n }] = (await this.db.query(`SELECT count(*)::int AS n FROM rules WHERE tenant_id = $1 AND deleted_at IS NULL`, [tenantId])) as { n: number }[];
    return n;
  }

  change(tenantId: TenantId, id: string, apply: (rule: RuleRow) => void): Promise<RuleRow | null> {
    return this.db.transaction(async (tx: EntityManager) => {
      const rows = (await tx.query(`SELECT ${COLUMNS} FROM rules WHERE id = $1 AND tenant_id = $2 AND deleted_at IS NULL FOR UPDATE`, [id, tenantId])) as Row[];
      if (rows.length === 0) return null;
      const rule = toRule(rows[0]);
      apply(rule);
      const [updated] = (await tx.query(
        `UPDATE rules SET name = $2, enabled = $3, trigger = $4, conditions = $5, actions = $6, deleted_at = $7, version = version + 1, updated_at = now()
         WHERE id = $1 RETURNING ${COLUMNS}`,
        [
          id,
          rule.name,
          rule.enabled,
          JSON.stringify(rule.trigger),
          rule.conditions === null ? null : JSON.stringify(rule.conditions),
          JSON.stringify(rule.actions),
          rule.deletedAt,
        ],
      )) as [Row[], number]; // an UPDATE answers its rows and their count
      return toRule(updated[0]);
    });
  }

  /** Under the row lock, so publications of one rule happen in version order. */
  withLocked<T>(id: string, work: (rule: RuleRow | null, markPublished: (version: number) => Promise<void>) => Promise<T>): Promise<T> {
    return this.db.transaction(async (tx: EntityManager) => {
      const rows = (await tx.query(`SELECT ${COLUMNS} FROM rules WHERE id = $1 FOR UPDATE`, [id])) as Row[];
      return work(rows.length > 0 ? toRule(rows[0]) : null, async (version) => {
        await tx.query(`UPDATE rules SET published_version = $2 WHERE id = $1`, [id, version]);
      });
    });
  }

  async unpublished(limit: number): Promise<string[]> {
    const rows = (await this.db.query(`SELECT id FROM rules WHERE published_version < version ORDER BY updated_at LIMIT $1`, [limit])) as { id: string }[];
    return rows.map((r) => r.id);
  }

  async liveContracts(tenantId: TenantId, ids: readonly string[]): Promise<Map<string, { allowedRoles: string[] }>> {
    if (ids.length === 0) return new Map();
    const rows = (await this.db.query(`SELECT id, allowed_roles FROM action_contracts WHERE tenant_id = $1 AND id = ANY($2::uuid[]) AND deleted_at IS NULL`, [
      tenantId,
      [...ids],
    ])) as { id: string; allowed_roles: string[] }[];
    return new Map(rows.map((r) => [r.id, { allowedRoles: r.allowed_roles }]));
  }

  async live(tenantId: TenantId, ids: readonly EndpointId[]): Promise<Map<string, ChatTool | null>> {
    if (ids.length === 0) return new Map();
    const rows = (await this.db.query(`SELECT id, chat->>'tool' AS tool FROM endpoints WHERE tenant_id = $1 AND id = ANY($2::uuid[]) AND deleted_at IS NULL`, [
      tenantId,
      [...ids],
    ])) as { id: string; tool: ChatTool | null }[];
    return new Map(rows.map((r) => [r.id, r.tool]));
  }
}
