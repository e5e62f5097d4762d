import type { TenantId } from '@hookline/contracts';
import type { PagePosition } from '../http/cursor';
import type { CONTRACT_METHODS, CONTRACT_SCHEMES } from './action-contract.dto';

/** An action contract as stored: `secret` is sealed under the master key. */
export interface ContractRow {
  id: string;
  tenantId: TenantId;
  name: string;
  description: string;
  url: string;
  method: (typeof CONTRACT_METHODS)[number];
  inputSchema: Record<string, unknown>;
  outputSchema: Record<string, unknown> | null;
  timeoutMs: number;
  allowedRoles: string[];
  signatureSchemes: (typeof CONTRACT_SCHEMES)[number][];
  secret: string;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

/** Action contract rows (PostgreSQL). */
export interface ContractStore {
  /** Null when the tenant already has a live contract of that name. */
  insert(row: Omit<ContractRow, 'version' | 'createdAt' | 'updatedAt'>): Promise<ContractRow | null>;
  findLive(tenantId: TenantId, id: string): Promise<ContractRow | null>;
  list(tenantId: TenantId, limit: number, after?: PagePosition): Promise<ContractRow[]>;
  /** Saves the new fields as the next version; null when there is no such live contract, `'name_taken'` when another has the name. */
  replace(
    tenantId: TenantId,
    id: string,
    fields: Omit<ContractRow, 'id' | 'tenantId' | 'secret' | 'version' | 'createdAt' | 'updatedAt'>,
  ): Promise<ContractRow | null | 'name_taken'>;
  remove(tenantId: TenantId, id: string): Promise<boolean>;
  /** Contracts (deleted ones too) whose sealed secret does not begin with `sealedPrefix`, at most `limit`. */
  needingReseal(sealedPrefix: string, limit: number): Promise<Pick<ContractRow, 'id' | 'tenantId' | 'secret'>[]>;
  /** Replaces the sealed secret if it is still `was`; false when it changed meanwhile. */
  swapSecret(id: string, was: string, sealed: string): Promise<boolean>;
}

/** One invocation as audited: who, when, a digest of the input, what came of it, how long it took. */
export interface InvocationRow {
  id: string;
  contractId: string;
  contractVersion: number;
  caller: string;
  origin: 'api' | 'rule' | 'trial';
  inputDigest: string;
  status: 'succeeded' | 'failed' | 'refused';
  httpStatus: number | null;
  error: string | null;
  durationMs: number;
  attempts: number;
  idempotencyKey: string | null;
  eventId: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export type InvocationRecord = Omit<InvocationRow, 'attempts' | 'createdAt' | 'updatedAt'> & { tenantId: TenantId };

/** The audit of invocations: one row per invocation id, its attempts counted. */
export interface InvocationLog {
  record(invocation: InvocationRecord): Promise<void>;
  find(tenantId: TenantId, id: string): Promise<InvocationRow | null>;
  /** Newest first, before `before` (the createdAt and id of the last row of the page before). */
  list(tenantId: TenantId, contractId: string, limit: number, before?: { createdAt: Date; id: string }): Promise<InvocationRow[]>;
}
