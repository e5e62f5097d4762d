import type { EventId, TenantId } from '@hookline/contracts';
import type { DeliveryEntity } from '../deliveries/delivery.entity';
import type { LoggedDelivery } from '../deliveries/delivery.ports';
import type { EventEntity } from './event.entity';

/** Events and their deliveries as log-store wrote them (PostgreSQL), read only. */
export interface EventLogReader {
  findEvent(tenantId: TenantId, id: EventId): Promise<EventEntity | null>;
  /** Every delivery of the event, one per endpoint it went to, oldest first. */
  deliveriesOf(tenantId: TenantId, id: EventId): Promise<DeliveryEntity[]>;
}

/** An event with every delivery of it, each with its attempts. */
export interface LoggedEvent {
  event: EventEntity;
  deliveries: LoggedDelivery[];
}
