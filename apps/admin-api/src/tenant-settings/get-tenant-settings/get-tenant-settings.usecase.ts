import type { TenantId } from '@hookline/contracts';
import type { TenantSettings, TenantSettingsStore } from '../tenant-settings.ports';

/** A tenant's settings; a tenant that never set any has the defaults (nulls), not a 404: every tenant has settings. */
export class GetTenantSettings {
  constructor(private readonly settings: Pick<TenantSettingsStore, 'find'>) {}

  async execute(tenantId: TenantId): Promise<TenantSettings> {
    return (await this.settings.find(tenantId)) ?? { tenantId, logRetentionDays: null, updatedAt: null };
  }
}
