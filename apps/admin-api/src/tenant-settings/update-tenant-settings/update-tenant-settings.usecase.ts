import type { TenantId } from '@hookline/contracts';
import type { TenantSettings, TenantSettingsStore } from '../tenant-settings.ports';

/** Replaces a tenant's settings. A shorter retention takes effect at log-store's next retention run (within the hour). */
export class UpdateTenantSettings {
  constructor(private readonly settings: Pick<TenantSettingsStore, 'save'>) {}

  execute(tenantId: TenantId, settings: Pick<TenantSettings, 'logRetentionDays'>): Promise<TenantSettings> {
    return this.settings.save(tenantId, settings);
  }
}
