import type { TenantId } from '@hookline/contracts';
import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Written here; log-store reads `log_retention_days`. No row, or null, is the installation's default. */
@Entity('tenant_settings')
export class TenantSettingsEntity {
  @PrimaryColumn({ name: 'tenant_id', type: 'text' }) tenantId!: TenantId;
  @Column({ name: 'log_retention_days', type: 'integer', nullable: true }) logRetentionDays!: number | null;
  @Column({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
}
