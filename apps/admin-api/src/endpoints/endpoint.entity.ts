import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

export interface StoredSecret {
  secret: string;
  createdAt: string;
  expiresAt: string | null;
}

@Entity('endpoints')
export class EndpointEntity {
  @PrimaryColumn('uuid') id!: string;
  @Column({ name: 'tenant_id', type: 'text' }) tenantId!: string;
  @Column({ type: 'text' }) url!: string;
  @Column({ type: 'text' }) description!: string;
  @Column({ name: 'event_types', type: 'text', array: true }) eventTypes!: string[];
  @Column({ type: 'jsonb' }) secrets!: StoredSecret[];
  @Column({ type: 'jsonb' }) headers!: Record<string, string>;
  @Column({ type: 'boolean' }) enabled!: boolean;
  @Column({ name: 'timeout_ms', type: 'integer' }) timeoutMs!: number;
  /** Bumped on every change; the compacted topic has it once `publishedVersion` catches up. */
  @Column({ type: 'integer' }) version!: number;
  @Column({ name: 'published_version', type: 'integer' }) publishedVersion!: number;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
  @Column({ name: 'deleted_at', type: 'timestamptz', nullable: true }) deletedAt!: Date | null;
}
