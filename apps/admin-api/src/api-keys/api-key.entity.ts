import type { TenantId } from '@hookline/contracts';
import type { Scope } from '@hookline/service-kit';
import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** Resolved for every request by `ApiKeyResolver` (service-kit); managed here. */
@Entity('api_keys')
export class ApiKeyEntity {
  @PrimaryColumn('uuid') id!: string;
  @Column({ name: 'tenant_id', type: 'text', nullable: true }) tenantId!: TenantId | null;
  @Column({ type: 'text' }) name!: string;
  @Column({ type: 'text', array: true }) scopes!: Scope[];
  /** The tenant's own role names for who holds the key; an action contract may require one (README, "Action contracts"). */
  @Column({ type: 'text', array: true }) roles!: string[];
  /** SHA-256 (hex) of the key; the key itself is shown once, at creation, and never stored. */
  @Column({ name: 'key_hash', type: 'text' }) keyHash!: string;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true }) revokedAt!: Date | null;
  @Column({ name: 'last_used_at', type: 'timestamptz', nullable: true }) lastUsedAt!: Date | null;
}
