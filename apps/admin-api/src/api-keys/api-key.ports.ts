import type { TenantId } from '@hookline/contracts';
import type { ApiKeyEntity } from './api-key.entity';

/** API key rows (PostgreSQL): the SHA-256 of each key, never the key. */
export interface ApiKeyStore {
  insert(key: ApiKeyEntity): Promise<ApiKeyEntity>;
  /** Every key when `tenantId` is undefined; else that tenant's keys. */
  list(tenantId?: TenantId): Promise<ApiKeyEntity[]>;
  /** Revokes a live key; false when there is none with that id (in that tenant, if given). */
  revoke(id: string, tenantId?: TenantId): Promise<boolean>;
}
