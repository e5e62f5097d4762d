import { Inject, Injectable } from '@nestjs/common';
import type { DeliveryId, EndpointId, TenantId } from '@hookline/contracts';
import type { DataSource } from '@hookline/database';
import { DATA_SOURCE } from '@hookline/service-kit';
import type { PagePosition } from '../http/cursor';
import type { PendingPage, RecoveryJob, RecoveryJobs, RecoveryLeases, RecoverySelection, RecoveryState, RecoveryStatus } from './recovery.ports';

interface JobRow {
  id: string;
  tenant_id: TenantId;
  endpoint_id: EndpointId;
  since: Date;
  until: Date;
  statuses: RecoveryStatus[];
  state: RecoveryState;
  total: number;
  done: number;
  failed: number;
  error: string | null;
  created_by: string;
  created_at: Date;
  updated_at: Date;
  cursor_created_at: Date | null;
  cursor_id: DeliveryId | null;
  pending_page: PendingPage | null;
}

const toJob = (r: JobRow): RecoveryJob => ({
  id: r.id,
  asOf: r.created_at,
  tenantId: r.tenant_id,
  endpointId: r.endpoint_id,
  since: r.since,
  until: r.until,
  statuses: r.statuses,
  state: r.state,
  total: r.total,
  done: r.done,
  failed: r.failed,
  error: r.error,
  createdBy: r.created_by,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  cursor: r.cursor_created_at && r.cursor_id ? { createdAt: r.cursor_created_at, id: r.cursor_id } : null,
  pendingPage: r.pending_page,
});

const COLUMNS = `id, tenant_id, endpoint_id, since, until, statuses, state, total, done, failed, error, created_by, created_at, updated_at,
                 cursor_created_at, cursor_id, pending_page`;

/** A runner's write holds only while the job runs under its unexpired lease. */
const LEASED = `id = $1 AND lease_owner = $2 AND state = 'running'`;

/**
 * Recovery jobs in PostgreSQL. A runner leases a job (`lease_owner`,
 * `lease_until`) and renews the lease with each write; every runner write is
 * conditional on that lease and on the job still running, so a cancel or a
 * takeover is seen at the next write.
 */
@Injectable()
export class RecoveryJobRepository implements RecoveryJobs, RecoveryLeases {
  constructor(@Inject(DATA_SOURCE) private readonly db: DataSource) {}

  async create(job: RecoverySelection & { id: string; total: number; createdBy: string }): Promise<RecoveryJob> {
    const rows = (await this.db.query(
      `INSERT INTO recovery_jobs (id, tenant_id, endpoint_id, since, until, statuses, state, total, created_by, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, 'queued', $7, $8, $9, $9) RETURNING ${COLUMNS}`,
      [job.id, job.tenantId, job.endpointId, job.since, job.until, job.statuses, job.total, job.createdBy, job.asOf],
    )) as JobRow[];
    return toJob(rows[0]);
  }

  async find(id: string, tenantId?: TenantId): Promise<RecoveryJob | null> {
    const rows = (await this.db.query(`SELECT ${COLUMNS} FROM recovery_jobs WHERE id = $1 AND ($2::text IS NULL OR tenant_id = $2)`, [
      id,
      tenantId ?? null,
    ])) as JobRow[];
    return rows.length === 0 ? null : toJob(rows[0]);
  }

  async list(tenantId: TenantId, limit: number, before?: PagePosition): Promise<RecoveryJob[]> {
    const rows = (await this.db.query(
      `SELECT ${COLUMNS} FROM recovery_jobs
       WHERE tenant_id = $1 AND ($2::timestamptz IS NULL OR (date_trunc('milliseconds', created_at), id) < ($2, $3::uuid))
       ORDER BY created_at DESC, id DESC LIMIT $4`,
      [tenantId, before?.createdAt ?? null, before?.id ?? null, limit],
    )) as JobRow[];
    return rows.map(toJob);
  }

  async cancel(id: string, tenantId?: TenantId): Promise<RecoveryJob | null> {
    await this.db.query(
      `UPDATE recovery_jobs SET state = 'cancelled', pending_page = NULL, lease_owner = NULL, lease_until = NULL, updated_at = now()
       WHERE id = $1 AND ($2::text IS NULL OR tenant_id = $2) AND state IN ('queued', 'running')`,
      [id, tenantId ?? null],
    );
    return this.find(id, tenantId);
  }

  async claim(owner: string, leaseMs: number): Promise<RecoveryJob | null> {
    const rows = (await this.db.query(
      `UPDATE recovery_jobs SET state = 'running', lease_owner = $1, lease_until = now() + $2 * interval '1 millisecond', updated_at = now()
       WHERE id = (
         SELECT id FROM recovery_jobs
         WHERE state IN ('queued', 'running') AND (lease_owner = $1 OR lease_until IS NULL OR lease_until < now())
         ORDER BY lease_owner = $1 DESC NULLS LAST, created_at, id
         LIMIT 1 FOR UPDATE SKIP LOCKED)
       RETURNING ${COLUMNS}`,
      [owner, leaseMs],
    )) as [JobRow[], number];
    return rows[0].length === 0 ? null : toJob(rows[0][0]);
  }

  async holdPage(id: string, owner: string, leaseMs: number, page: PendingPage): Promise<boolean> {
    return this.updateLeased(`pending_page = $4::jsonb`, [id, owner, leaseMs, JSON.stringify(page)]);
  }

  async advance(id: string, owner: string, leaseMs: number, step: { done: number; failed: number; last: PendingPage['last'] }): Promise<boolean> {
    return this.updateLeased(`done = done + $4, failed = failed + $5, cursor_created_at = $6, cursor_id = $7, pending_page = NULL`, [
      id,
      owner,
      leaseMs,
      step.done,
      step.failed,
      step.last.createdAt,
      step.last.id,
    ]);
  }

  async finish(id: string, owner: string, state: 'done' | 'failed', error?: string): Promise<boolean> {
    const result = (await this.db.query(
      `UPDATE recovery_jobs SET state = $3, error = $4, pending_page = NULL, lease_owner = NULL, lease_until = NULL, updated_at = now() WHERE ${LEASED}`,
      [id, owner, state, error ?? null],
    )) as [unknown[], number];
    return result[1] === 1;
  }

  private async updateLeased(set: string, params: unknown[]): Promise<boolean> {
    const result = (await this.db.query(
      `UPDATE recovery_jobs SET ${set}, lease_until = now() + $3 * interval '1 millisecond', updated_at = now() WHERE ${LEASED}`,
      params,
    )) as [unknown[], number];
    return result[1] === 1;
  }
}
