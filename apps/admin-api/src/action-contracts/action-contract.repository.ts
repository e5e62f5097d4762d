import { Inject, Injectable } from '@nestjs/common';
import type { TenantId } from '@hookline/contracts';
import type { DataSource } from '@hookline/database';
import { DATA_SOURCE } from '@hookline/service-kit';
import type { PagePosition } from '../http/cursor';
import type { ContractRow, ContractStore, InvocationLog, InvocationRecord, InvocationRow } from './action-contract.ports';

interface Row {
  id: string;
  tenant_id: TenantId;
  name: string;
  description: string;
  url: string;
  method: ContractRow['method'];
  input_schema: Record<string, unknown>;
  output_schema: Record<string, unknown> | null;
  timeout_ms: number;
  allowed_roles: string[];
  signature_schemes: ContractRow['signatureSchemes'];
  secret: string;
  version: number;
  created_at: Date;
  updated_at: Date;
}

const COLUMNS =
  'id, tenant_id, name, description, url, method, input_schema, output_schema, timeout_ms, allowed_roles, signature_schemes, secret, version, created_at, updated_at';
const toContract = (r: Row): ContractRow => ({
  id: r.id,
  tenantId: r.tenant_id,
  name: r.name,
  description: r.description,
  url: r.url,
  method: r.method,
  inputSchema: r.input_schema,
  outputSchema: r.output_schema,
  timeoutMs: r.timeout_ms,
  allowedRoles: r.allowed_roles,
  signatureSchemes: r.signature_schemes,
  secret: r.secret,
  version: r.version,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

const UNIQUE_VIOLATION = '23505';
const isUniqueViolation = (err: unknown) => (err as { code?: string }).code === UNIQUE_VIOLATION;

@Injectable()
export class ActionContractRepository implements ContractStore {
  constructor(@Inject(DATA_SOURCE) private readonly db: DataSource) {}

  async insert(c: Omit<ContractRow, 'version' | 'createdAt' | 'updatedAt'>): Promise<ContractRow | null> {
    try {
      const [row] = (await this.db.query(
        `INSERT INTO action_contracts (id, tenant_id, name, description, url, method, input_schema, output_schema, timeout_ms, allowed_roles, signature_schemes, secret, version)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 1) RETURNING ${COLUMNS}`,
        [
          c.id,
          c.tenantId,
          c.name,
          c.description,
          c.url,
          c.method,
          JSON.stringify(c.inputSchema),
          c.outputSchema === null ? null : JSON.stringify(c.outputSchema),
          c.timeoutMs,
          c.allowedRoles,
          c.signatureSchemes,
          c.secret,
        ],
      )) as Row[];
      return toContract(row);
    } catch (err) {
      if (isUniqueViolation(err)) return null;
      throw err;
    }
  }

  async findLive(tenantId: TenantId, id: string): Promise<ContractRow | null> {
    const rows = (await this.db.query(`SELECT ${COLUMNS} FROM action_contracts WHERE id = $1 AND tenant_id = $2 AND deleted_at IS NULL`, [
      id,
      tenantId,
    ])) as Row[];
    return rows.length > 0 ? toContract(rows[0]) : null;
  }

  /** Pages compare creation times at millisecond precision, the precision a cursor carries. */
  async list(tenantId: TenantId, limit: number, after?: PagePosition): Promise<ContractRow[]> {
    const createdMs = "date_trunc('milliseconds', created_at)";
    const rows = (await this.db.query(
      `SELECT ${COLUMNS} FROM action_contracts WHERE tenant_id = $1 AND deleted_at IS NULL
         AND ($3::timestamptz IS NULL OR (${createdMs}, id) > ($3::timestamptz, $4::uuid))
       ORDER BY ${createdMs}, id LIMIT $2`,
      [tenantId, limit, after?.createdAt ?? null, after?.id ?? null],
    )) as Row[];
    return rows.map(toContract);
  }

  async replace(
    tenantId: TenantId,
    id: string,
    c: Omit<ContractRow, 'id' | 'tenantId' | 'secret' | 'version' | 'createdAt' | 'updatedAt'>,
  ): Promise<ContractRow | null | 'name_taken'> {
    try {
      const [rows] = (await this.db.query(
        `UPDATE action_contracts SET name = $3, description = $4, url = $5, method = $6, input_schema = $7, output_schema = $8, timeout_ms = $9,
           allowed_roles = $10, signature_schemes = $11, version = version + 1, updated_at = now()
         WHERE id = $1 AND tenant_id = $2 AND deleted_at IS NULL RETURNING ${COLUMNS}`,
        [
          id,
          tenantId,
          c.name,
          c.description,
          c.url,
          c.method,
          JSON.stringify(c.inputSchema),
          c.outputSchema === null ? null : JSON.stringify(c.outputSchema),
          c.timeoutMs,
          c.allowedRoles,
          c.signatureSchemes,
        ],
      )) as [Row[], number]; // an UPDATE answers its rows and their count
      return rows.length > 0 ? toContract(rows[0]) : null;
    } catch (err) {
      if (isUniqueViolation(err)) return 'name_taken';
      throw err;
    }
  }

  async remove(tenantId: TenantId, id: string): Promise<boolean> {
    const [, count] = (await this.db.query(`UPDATE action_contracts SET deleted_at = now() WHERE id = $1 AND tenant_id = $2 AND deleted_at IS NULL`, [
      id,
      tenantId,
    ])) as [unknown, number];
    return count > 0;
  }

  async needingReseal(sealedPrefix: string, limit: number): Promise<Pick<ContractRow, 'id' | 'tenantId' | 'secret'>[]> {
    const rows = (await this.db.query(`SELECT id, tenant_id, secret FROM action_contracts WHERE left(secret, length($1)) <> $1 ORDER BY id LIMIT $2`, [
      sealedPrefix,
      limit,
    ])) as Pick<Row, 'id' | 'tenant_id' | 'secret'>[];
    return rows.map((r) => ({ id: r.id, tenantId: r.tenant_id, secret: r.secret }));
  }

  async swapSecret(id: string, was: string, sealed: string): Promise<boolean> {
    const [, count] = (await this.db.query(`UPDATE action_contracts SET secret = $3 WHERE id = $1 AND secret = $2`, [id, was, sealed])) as [unknown, number];
    return count > 0;
  }
}

interface InvocationDbRow {
  id: string;
  contract_id: string;
  contract_version: number;
  caller: string;
  origin: InvocationRow['origin'];
  input_digest: string;
  status: InvocationRow['status'];
  http_status: number | null;
  error: string | null;
  duration_ms: number;
  attempts: number;
  idempotency_key: string | null;
  event_id: string | null;
  created_at: Date;
  updated_at: Date;
}

const INVOCATION_COLUMNS =
  'id, contract_id, contract_version, caller, origin, input_digest, status, http_status, error, duration_ms, attempts, idempotency_key, event_id, created_at, updated_at';
const toInvocation = (r: InvocationDbRow): InvocationRow => ({
  id: r.id,
  contractId: r.contract_id,
  contractVersion: r.contract_version,
  caller: r.caller,
  origin: r.origin,
  inputDigest: r.input_digest,
  status: r.status,
  httpStatus: r.http_status,
  error: r.error,
  durationMs: r.duration_ms,
  attempts: r.attempts,
  idempotencyKey: r.idempotency_key,
  eventId: r.event_id,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

/** The invocation audit: one row per invocation id; a retry of it (same id) updates the row and counts the attempt. */
@Injectable()
export class InvocationRepository implements InvocationLog {
  constructor(@Inject(DATA_SOURCE) private readonly db: DataSource) {}

  async record(i: InvocationRecord): Promise<void> {
    await this.db.query(
      `INSERT INTO action_invocations (id, tenant_id, contract_id, contract_version, caller, origin, input_digest, status, http_status, error, duration_ms, idempotency_key, event_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
       ON CONFLICT (id) DO UPDATE SET contract_version = EXCLUDED.contract_version, status = EXCLUDED.status, http_status = EXCLUDED.http_status,
         error = EXCLUDED.error, duration_ms = EXCLUDED.duration_ms, attempts = action_invocations.attempts + 1, updated_at = now()`,
      [
        i.id,
        i.tenantId,
        i.contractId,
        i.contractVersion,
        i.caller,
        i.origin,
        i.inputDigest,
        i.status,
        i.httpStatus,
        i.error,
        i.durationMs,
        i.idempotencyKey,
        i.eventId,
      ],
    );
  }

  async find(tenantId: TenantId, id: string): Promise<InvocationRow | null> {
    const rows = (await this.db.query(`SELECT ${INVOCATION_COLUMNS} FROM action_invocations WHERE id = $1 AND tenant_id = $2`, [
      id,
      tenantId,
    ])) as InvocationDbRow[];
    return rows.length > 0 ? toInvocation(rows[0]) : null;
  }

  async list(tenantId: TenantId, contractId: string, limit: number, before?: { createdAt: Date; id: string }): Promise<InvocationRow[]> {
    const createdMs = "date_trunc('milliseconds', created_at)";
    const rows = (await this.db.query(
      `SELECT ${INVOCATION_COLUMNS} FROM action_invocations WHERE tenant_id = $1 AND contract_id = $2
         AND ($4::timestamptz IS NULL OR (${createdMs}, id) < ($4::timestamptz, $5::text))
       ORDER BY ${createdMs} DESC, id DESC LIMIT $3`,
      [tenantId, contractId, limit, before?.createdAt ?? null, before?.id ?? null],
    )) as InvocationDbRow[];
    return rows.map(toInvocation);
  }
}
