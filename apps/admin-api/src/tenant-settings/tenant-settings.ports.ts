import type { TenantId } from '@hookline/contracts';

/** A tenant's settings; every field null means the installation's default. */
export interface TenantSettings {
  tenantId: TenantId;
  /** Days the delivery log keeps the tenant's events, deliveries and attempts (1–3650); null: HOOKLINE_LOG_RETENTION_DAYS. */
  logRetentionDays: number | null;
  /** When they were last changed; null if never. */
  updatedAt: Date | null;
}

export interface TenantSettingsStore {
  find(tenantId: TenantId): Promise<TenantSettings | null>;
  /** Replaces the tenant's settings; answers them as stored. */
  save(tenantId: TenantId, settings: Pick<TenantSettings, 'logRetentionDays'>): Promise<TenantSettings>;
}
