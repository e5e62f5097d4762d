import type { TenantId } from '@hookline/contracts';
import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Written by log-store (as accepted by ingest); read here for the event view of the delivery log. */
@Entity('events')
export class EventEntity {
  @PrimaryColumn({ name: 'tenant_id', type: 'text' }) tenantId!: TenantId;
  @PrimaryColumn({ type: 'text' }) id!: string;
  @Column({ type: 'text' }) type!: string;
  @Column({ type: 'jsonb' }) data!: Record<string, unknown>;
  @Column({ name: 'occurred_at', type: 'timestamptz' }) occurredAt!: Date;
  @Column({ name: 'received_at', type: 'timestamptz' }) receivedAt!: Date;
  /** Where `data` failed its type's schema, for an event accepted under schema mode `warn`; null otherwise. */
  @Column({ name: 'schema_violations', type: 'jsonb', nullable: true }) schemaViolations!: { pointer: string; rule: string }[] | null;
}
