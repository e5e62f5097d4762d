import type { DeliveryId, EndpointId, EventEnvelope } from '@hookline/contracts';
import { anEvent, deliveryIdNumber, freshDatabase } from '@hookline/testing';
import { randomUUID } from 'node:crypto';
import type { AlertWindow } from './alert-window';
import type { PendingAlert, WindowChange } from './alert-exhausted.usecase';
import { AlertWindowRepository } from './alert-window.repository';

/** The `delivery.exhausted` windows on a real PostgreSQL. */
describe(AlertWindowRepository.name, () => {
  const database = freshDatabase();
  const repo = () => new AlertWindowRepository(database.db);
  const T0 = new Date('2026-11-22T10:00:00.000Z');
  const d = (n: number) => deliveryIdNumber(n) as DeliveryId;
  const alertOf = (endpointId: EndpointId, id: string): PendingAlert => ({
    endpointId,
    event: anEvent({ id, type: 'delivery.exhausted', data: { n: id } }) as EventEnvelope,
    traceHeaders: { traceparent: `t-${id}` },
  });
  const announce = (endpointId: EndpointId, id: string, subject: DeliveryId, startedAt: Date, backlogAdds: DeliveryId[] = []): WindowChange => ({
    announce: { alert: alertOf(endpointId, id), subjectDeliveryId: subject, startedAt },
    backlogAdds,
  });
  const count = (backlogAdds: DeliveryId[]): WindowChange => ({ announce: null, backlogAdds });

  it('starts every endpoint with no window, then keeps the announced one and its backlog across instances', async () => {
    const endpoint = randomUUID() as EndpointId;
    const seen: AlertWindow[] = [];
    const stored = await repo().update([endpoint], [d(1), d(2)], (_id, window) => (seen.push(window), announce(endpoint, 'e1', d(1), T0, [d(2)])));
    expect(stored.map((a) => a.event.id)).toEqual(['e1']);

    let inBacklog: ReadonlySet<DeliveryId> = new Set();
    await repo().update([endpoint], [d(2), d(3)], (_id, window, counted) => (seen.push(window), (inBacklog = counted), count([d(3), d(3)])));
    await repo().update([endpoint], [], (_id, window) => (seen.push(window), count([])));
    expect(seen).toEqual([
      { startedAt: null, subjectDeliveryId: null, backlog: 0 },
      { startedAt: T0, subjectDeliveryId: d(1), backlog: 1 },
      { startedAt: T0, subjectDeliveryId: d(1), backlog: 2 },
    ]);
    expect([...inBacklog]).toEqual([d(2)]);
  });

  it('empties the backlog into a new window and keeps the new event unpublished until marked', async () => {
    const endpoint = randomUUID() as EndpointId;
    await repo().update([endpoint], [d(1)], () => announce(endpoint, 'e1', d(1), T0, [d(2), d(3)]));
    await repo().markPublished([alertOf(endpoint, 'e1')]);
    expect(await repo().unpublished([endpoint])).toEqual([]);

    const later = new Date(T0.getTime() + 300_000);
    await repo().update([endpoint], [d(4)], (_id, window) => {
      expect(window.backlog).toBe(2);
      return announce(endpoint, 'e2', d(4), later, [d(5)]);
    });
    expect(await repo().unpublished([endpoint])).toEqual([alertOf(endpoint, 'e2')]);
    let backlog = -1;
    await repo().update([endpoint], [], (_id, window) => ((backlog = window.backlog), count([])));
    expect(backlog).toBe(1);

    // Marking an older event does not mark the newer one.
    await repo().markPublished([alertOf(endpoint, 'e1')]);
    expect(await repo().unpublished([endpoint])).toHaveLength(1);
    await repo().markPublished([alertOf(endpoint, 'e2')]);
    expect(await repo().unpublished([endpoint])).toEqual([]);
  });

  it('stores nothing when the decision throws (one transaction)', async () => {
    const endpoint = randomUUID() as EndpointId;
    await expect(
      repo().update([endpoint], [], () => {
        throw new Error('bug');
      }),
    ).rejects.toThrow('bug');
    const rows = await database.db.query(`SELECT 1 FROM exhausted_alerts WHERE endpoint_id = $1`, [endpoint]);
    expect(rows).toEqual([]);
  });

  it('lets two instances deciding for one endpoint at once take turns, so only one announces (a rebalance)', async () => {
    const endpoint = randomUUID() as EndpointId;
    const decide = (id: string) => (_e: EndpointId, window: AlertWindow) =>
      window.startedAt === null ? announce(endpoint, id, d(100), T0) : count([d(Number(id.slice(1)))]);
    const [a, b] = await Promise.all([repo().update([endpoint], [], decide('x1')), repo().update([endpoint], [], decide('x2'))]);
    expect([...a, ...b]).toHaveLength(1);
    let backlog = -1;
    await repo().update([endpoint], [], (_e, window) => ((backlog = window.backlog), count([])));
    expect(backlog).toBe(1);
  });
});
