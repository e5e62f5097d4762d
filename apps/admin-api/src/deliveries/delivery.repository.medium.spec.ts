import type { DeliveryId, TenantId } from '@hookline/contracts';
import { freshDatabase } from '@hookline/testing';
import { AttemptEntity } from './attempt.entity';
import { DeliveryEntity } from './delivery.entity';
import { DeliveryRepository } from './delivery.repository';

/** The delivery log as admin-api reads it, on a real PostgreSQL. */
describe(DeliveryRepository.name, () => {
  const database = freshDatabase([DeliveryEntity, AttemptEntity]);
  const repo = () => new DeliveryRepository(database.db);
  const id = (n: number) => `0d2f4c7e-1111-4222-8333-${String(n).padStart(12, '0')}` as DeliveryId;

  beforeAll(async () => {
    // 25 deliveries in 5 distinct milliseconds: ties are broken by id. The log writes times at millisecond precision (the event's receipt).
    for (let n = 1; n <= 25; n++) {
      await database.db.query(
        `INSERT INTO deliveries (id, tenant_id, event_id, endpoint_id, event_type, status, created_at)
         VALUES ($1, $2, $3, '5b7c7a0e-8a3c-4d0e-9a53-1f6f2a4e9c11', $4, $5, $6)`,
        [
          id(n),
          n % 5 === 0 ? 'globex' : 'acme',
          `evt_${n}`,
          n % 2 ? 'invoice.paid' : 'ticket.created',
          n % 3 ? 'succeeded' : 'dead',
          `2026-11-22T10:00:00.00${n % 5}Z`,
        ],
      );
    }
    for (const attempt of [2, 1]) {
      await database.db.query(
        `INSERT INTO attempts (id, delivery_id, tenant_id, endpoint_id, attempt_number, url, succeeded, request_headers, duration_ms, started_at)
         VALUES (gen_random_uuid(), $1, 'acme', '5b7c7a0e-8a3c-4d0e-9a53-1f6f2a4e9c11', $2, 'https://x.example.com', false, '{}', 5, now())`,
        [id(1), attempt],
      );
    }
  });

  it('pages through newest first, each delivery once, with ties at one millisecond', async () => {
    const seen: string[] = [];
    let before: { createdAt: Date; id: string } | undefined;
    for (;;) {
      const page = await repo().list({ tenantId: 'acme' as TenantId }, 4, before);
      seen.push(...page.map((d) => d.id));
      if (page.length < 4) break;
      before = page[page.length - 1];
    }
    expect(seen).toHaveLength(20);
    expect(new Set(seen).size).toBe(20);
    const all = await repo().list({ tenantId: 'acme' as TenantId }, 100);
    expect(seen).toEqual(all.map((d) => d.id));
  });

  it('filters by status and event type together', async () => {
    const dead = await repo().list({ tenantId: 'acme' as TenantId, status: 'dead', eventType: 'ticket.created' }, 100);
    expect(dead.map((d) => d.eventId).sort()).toEqual(['evt_12', 'evt_18', 'evt_24', 'evt_6']);
  });

  it("finds one delivery, not another tenant's, and its attempts in attempt order", async () => {
    expect(await repo().findOne(id(5), 'acme' as TenantId)).toBeNull();
    expect((await repo().findOne(id(5)))?.tenantId).toBe('globex');
    const attempts = await repo().attemptsOf([id(1), id(2)]);
    expect(attempts.get(id(1))?.map((a) => a.attemptNumber)).toEqual([1, 2]);
    expect(attempts.get(id(2))).toEqual([]);
  });
});
