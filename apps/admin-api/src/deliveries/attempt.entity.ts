import type { DeliveryId, EndpointId, ReplayOrigin, TenantId } from '@hookline/contracts';
import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Written by log-store; read here for the delivery-log API. */
@Entity('attempts')
export class AttemptEntity {
  @PrimaryColumn('uuid') id!: string;
  @Column({ name: 'delivery_id', type: 'uuid' }) deliveryId!: DeliveryId;
  @Column({ name: 'tenant_id', type: 'text' }) tenantId!: TenantId;
  @Column({ name: 'endpoint_id', type: 'uuid' }) endpointId!: EndpointId;
  @Column({ name: 'attempt_number', type: 'integer' }) attemptNumber!: number;
  @Column({ type: 'text' }) url!: string;
  @Column({ type: 'boolean' }) succeeded!: boolean;
  @Column({ name: 'failure_kind', type: 'text', nullable: true }) failureKind!: string | null;
  @Column({ name: 'failure_message', type: 'text', nullable: true }) failureMessage!: string | null;
  @Column({ name: 'request_headers', type: 'jsonb' }) requestHeaders!: Record<string, string>;
  @Column({ name: 'response_status', type: 'integer', nullable: true }) responseStatus!: number | null;
  @Column({ name: 'response_headers', type: 'jsonb', nullable: true }) responseHeaders!: Record<string, string> | null;
  @Column({ name: 'response_body', type: 'text', nullable: true }) responseBody!: string | null;
  @Column({ name: 'response_body_truncated', type: 'boolean' }) responseBodyTruncated!: boolean;
  @Column({ name: 'duration_ms', type: 'integer' }) durationMs!: number;
  @Column({ name: 'started_at', type: 'timestamptz' }) startedAt!: Date;
  /** Who replayed the attempt's chain; null for the delivery's own attempts. */
  @Column({ type: 'jsonb', nullable: true }) replay!: ReplayOrigin | null;
}
