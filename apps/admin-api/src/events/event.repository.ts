import { Inject, Injectable } from '@nestjs/common';
import type { EventId, TenantId } from '@hookline/contracts';
import type { DataSource, Repository } from '@hookline/database';
import { DATA_SOURCE } from '@hookline/service-kit';
import { DeliveryEntity } from '../deliveries/delivery.entity';
import { EventEntity } from './event.entity';
import type { EventLogReader } from './event.ports';

/** Reads by primary key (tenant_id, id) and by index deliveries_event_tenant (event_id, tenant_id): both stay point lookups at any log size. */
@Injectable()
export class EventRepository implements EventLogReader {
  private readonly events: Repository<EventEntity>;
  private readonly deliveries: Repository<DeliveryEntity>;

  constructor(@Inject(DATA_SOURCE) db: DataSource) {
    this.events = db.getRepository(EventEntity);
    this.deliveries = db.getRepository(DeliveryEntity);
  }

  findEvent(tenantId: TenantId, id: EventId): Promise<EventEntity | null> {
    return this.events.findOne({ where: { tenantId, id } });
  }

  deliveriesOf(tenantId: TenantId, id: EventId): Promise<DeliveryEntity[]> {
    return this.deliveries.find({ where: { tenantId, eventId: id }, order: { createdAt: 'ASC', id: 'ASC' } });
  }
}
