import { Inject, Injectable } from '@nestjs/common';
import type { TenantId } from '@hookline/contracts';
import type { DataSource, Repository } from '@hookline/database';
import { DATA_SOURCE } from '@hookline/service-kit';
import { TenantSettingsEntity } from './tenant-settings.entity';
import type { TenantSettings, TenantSettingsStore } from './tenant-settings.ports';

@Injectable()
export class TenantSettingsRepository implements TenantSettingsStore {
  private readonly settings: Repository<TenantSettingsEntity>;

  constructor(@Inject(DATA_SOURCE) private readonly db: DataSource) {
    this.settings = db.getRepository(TenantSettingsEntity);
  }

  find(tenantId: TenantId): Promise<TenantSettings | null> {
    return this.settings.findOne({ where: { tenantId } });
  }

  async save(tenantId: TenantId, settings: Pick<TenantSettings, 'logRetentionDays'>): Promise<TenantSettings> {
    const [row] = await this.db.query<{ tenant_id: TenantId; log_retention_days: number | null; updated_at: Date }[]>(
      `INSERT INTO tenant_settings (tenant_id, log_retention_days) VALUES ($1, $2)
       ON CONFLICT (tenant_id) DO UPDATE SET log_retention_days = excluded.log_retention_days, updated_at = now()
       RETURNING tenant_id, log_retention_days, updated_at`,
      [tenantId, settings.logRetentionDays],
    );
    return { tenantId: row.tenant_id, logRetentionDays: row.log_retention_days, updatedAt: row.updated_at };
  }
}
