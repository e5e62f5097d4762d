import type { DeliveryId, DeliveryMode, EndpointId, TenantId } from '@hookline/contracts';
import type { PagePosition } from '../http/cursor';
import type { AttemptEntity } from './attempt.entity';
import type { DeliveryEntity } from './delivery.entity';

export interface DeliveryFilter {
  /** Live deliveries unless `test` is asked for: the two are never listed together. */
  mode?: DeliveryMode;
  tenantId?: TenantId;
  endpointId?: EndpointId;
  eventId?: string;
  status?: string;
  eventType?: string;
  since?: Date;
  until?: Date;
}

/** The delivery log as log-store wrote it (PostgreSQL), read only. */
export interface DeliveryLogReader {
  /** Newest first, keyset-paginated on (created_at, id); every filter is served by an index (docs/delivery-log-indexes.md). */
  list(filter: DeliveryFilter, limit: number, before?: PagePosition): Promise<DeliveryEntity[]>;
  findOne(id: DeliveryId, tenantId?: TenantId): Promise<DeliveryEntity | null>;
  /** Every attempt of each delivery, in attempt order. */
  attemptsOf(deliveryIds: DeliveryId[]): Promise<Map<DeliveryId, AttemptEntity[]>>;
}

/** A delivery with its attempts: what the delivery-log API shows. */
export interface LoggedDelivery {
  delivery: DeliveryEntity;
  attempts: AttemptEntity[];
}

/** The attempt the retry-scheduler holds for a delivery whose chain is not over: a retry, a deferral, or a request held for a paused endpoint. */
export interface ScheduledAttempt {
  attempt: number;
  /** null while the request is held because its endpoint is paused: it gets a due time only once the endpoint resumes. */
  dueAt: Date | null;
}

/** The retry schedule as retry-scheduler writes it (PostgreSQL `retry_schedule`), read only. */
export interface RetryScheduleReader {
  /** The delivery's row, if it belongs to `tenantId`; null when nothing is scheduled (succeeded, dead, being sent, or not scheduled yet). */
  nextAttemptOf(id: DeliveryId, tenantId: TenantId): Promise<ScheduledAttempt | null>;
}

/** The one write admin-api makes to retry-scheduler's schedule: a due time moved forward, never a row added, removed or changed otherwise. */
export interface RetryScheduleAdvancer {
  /**
   * Makes the delivery's scheduled (not held) row of `tenantId` due now, on
   * the database's clock, the one retry-scheduler's poll compares against;
   * answers the row's attempt number, or null when there is no such row
   * (nothing scheduled, or held while the endpoint is paused).
   */
  dueNow(id: DeliveryId, tenantId: TenantId): Promise<number | null>;
}

/** One delivery as its own page shows it: the logged delivery and what is scheduled next. */
export interface DeliveryDetail extends LoggedDelivery {
  nextAttempt: ScheduledAttempt | null;
}
