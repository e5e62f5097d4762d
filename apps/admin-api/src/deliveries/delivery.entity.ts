import type { DeliveryId, DeliveryMode, EndpointId, RuleOrigin, TenantId } from '@hookline/contracts';
import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Where a delivery stands (log-store moves it forward only): not tried yet, being retried, delivered, given up. */
export const DELIVERY_STATUSES = ['pending', 'failing', 'succeeded', 'dead'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** Written by log-store; read here for the delivery-log API. */
@Entity('deliveries')
export class DeliveryEntity {
  @PrimaryColumn('uuid') id!: DeliveryId;
  @Column({ name: 'tenant_id', type: 'text' }) tenantId!: TenantId;
  @Column({ name: 'event_id', type: 'text' }) eventId!: string;
  @Column({ name: 'endpoint_id', type: 'uuid' }) endpointId!: EndpointId;
  @Column({ name: 'event_type', type: 'text' }) eventType!: string;
  @Column({ type: 'text' }) status!: DeliveryStatus;
  @Column({ type: 'text' }) mode!: DeliveryMode;
  @Column({ name: 'attempt_count', type: 'integer' }) attemptCount!: number;
  @Column({ name: 'last_attempt_at', type: 'timestamptz', nullable: true }) lastAttemptAt!: Date | null;
  @Column({ name: 'last_response_status', type: 'integer', nullable: true }) lastResponseStatus!: number | null;
  /** The rule action that made the delivery; null for an endpoint's own subscription, a test send or a replay of one. */
  @Column({ type: 'jsonb', nullable: true }) rule!: RuleOrigin | null;
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @Column({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
}
