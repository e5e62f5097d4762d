import type { EventId, TenantId } from '@hookline/contracts';
import { freshDatabase } from '@hookline/testing';
import { DeliveryEntity } from '../deliveries/delivery.entity';
import { EventEntity } from './event.entity';
import { EventRepository } from './event.repository';

/** Events and their deliveries as admin-api reads them, on a real PostgreSQL. Event ids are unique within a tenant only. */
describe(EventRepository.name, () => {
  const database = freshDatabase([EventEntity, DeliveryEntity]);
  const repo = () => new EventRepository(database.db);
  const acme = 'acme' as TenantId;
  const globex = 'globex' as TenantId;
  const evt1 = 'evt_1' as EventId;

  beforeAll(async () => {
    for (const tenant of [acme, globex]) {
      await database.db.query(
        `INSERT INTO events (tenant_id, id, type, data, occurred_at, received_at) VALUES ($1, 'evt_1', 'invoice.paid', $2, '2026-11-22T09:59:00Z', '2026-11-22T10:00:00.123Z')`,
        [tenant, JSON.stringify({ tenant, amount: 4200 })],
      );
    }
    const deliveries: [string, TenantId, string, string][] = [
      ['0d2f4c7e-1111-4222-8333-000000000003', acme, 'evt_1', '2026-11-22T10:00:00.123Z'],
      ['0d2f4c7e-1111-4222-8333-000000000001', acme, 'evt_1', '2026-11-22T10:00:00.123Z'],
      ['0d2f4c7e-1111-4222-8333-000000000002', globex, 'evt_1', '2026-11-22T10:00:00.123Z'],
      ['0d2f4c7e-1111-4222-8333-000000000004', acme, 'evt_2', '2026-11-22T10:00:01Z'],
    ];
    for (const [id, tenant, eventId, createdAt] of deliveries) {
      await database.db.query(
        `INSERT INTO deliveries (id, tenant_id, event_id, endpoint_id, event_type, status, created_at)
         VALUES ($1, $2, $3, gen_random_uuid(), 'invoice.paid', 'succeeded', $4)`,
        [id, tenant, eventId, createdAt],
      );
    }
  });

  it("finds the tenant's event with what was stored, and not another tenant's of the same id", async () => {
    expect(await repo().findEvent(acme, evt1)).toEqual({
      tenantId: 'acme',
      id: 'evt_1',
      type: 'invoice.paid',
      data: { tenant: 'acme', amount: 4200 },
      occurredAt: new Date('2026-11-22T09:59:00Z'),
      receivedAt: new Date('2026-11-22T10:00:00.123Z'),
      schemaViolations: null,
    });
    expect((await repo().findEvent(globex, evt1))?.data).toEqual({ tenant: 'globex', amount: 4200 });
    expect(await repo().findEvent('initech' as TenantId, evt1)).toBeNull();
  });

  it("lists every delivery of the event in the tenant, oldest first with ties by id, and none of another tenant's or event's", async () => {
    expect((await repo().deliveriesOf(acme, evt1)).map((d) => d.id)).toEqual(['0d2f4c7e-1111-4222-8333-000000000001', '0d2f4c7e-1111-4222-8333-000000000003']);
    expect((await repo().deliveriesOf(globex, evt1)).map((d) => d.id)).toEqual(['0d2f4c7e-1111-4222-8333-000000000002']);
    expect(await repo().deliveriesOf(globex, 'evt_2' as EventId)).toEqual([]);
  });
});
