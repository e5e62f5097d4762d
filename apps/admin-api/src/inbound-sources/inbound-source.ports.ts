import type { TenantId } from '@hookline/contracts';
import type { PagePosition } from '../http/cursor';

/** An inbound source as stored: `secret` is sealed under the master key. */
export interface SourceRow {
  id: string;
  tenantId: TenantId;
  provider: string;
  name: string;
  secret: string | null;
  publicKey: string | null;
  options: Record<string, unknown>;
  eventTypePrefix: string;
  enabled: boolean;
  storeBodies: boolean;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

export type SourceFields = Omit<SourceRow, 'id' | 'tenantId' | 'version' | 'createdAt' | 'updatedAt'>;

/** One request to a source, as the inbound log keeps it. */
export interface InboundLogRow {
  id: string;
  sourceId: string;
  receivedAt: Date;
  outcome: 'accepted' | 'handshake' | 'refused';
  status: number;
  reason: string | null;
  detail: string | null;
  size: number;
  eventIds: string[];
  body: string | null;
}

/** Inbound source rows and the inbound log (PostgreSQL). */
export interface SourceStore {
  /** Null when the tenant already has a live source of that name. */
  insert(tenantId: TenantId, id: string, fields: SourceFields): Promise<SourceRow | null>;
  findLive(tenantId: TenantId, id: string): Promise<SourceRow | null>;
  list(tenantId: TenantId, limit: number, after?: PagePosition): Promise<SourceRow[]>;
  /** Saves the fields as the next version; null when there is no such live source, `'name_taken'` when another has the name. */
  replace(tenantId: TenantId, id: string, fields: SourceFields): Promise<SourceRow | null | 'name_taken'>;
  remove(tenantId: TenantId, id: string): Promise<boolean>;
  /** The source's log, newest first, before `before`. */
  log(sourceId: string, limit: number, before?: { receivedAt: Date; id: string }): Promise<InboundLogRow[]>;
}
