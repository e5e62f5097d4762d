import type { DeliveryId, EndpointId, TenantId } from '@hookline/contracts';
import { freshDatabase } from '@hookline/testing';
import { randomUUID } from 'node:crypto';
import { RecoveryJobRepository } from './recovery-job.repository';
import { RecoveryLogRepository } from './recovery-log.repository';
import type { RecoverySelection } from './recovery.ports';

/** Recovery jobs and the log pages they read, on a real PostgreSQL: leases, takeovers, cancel, and the keyset cursor. */
describe(RecoveryJobRepository.name, () => {
  const database = freshDatabase();
  const jobs = () => new RecoveryJobRepository(database.db);
  const log = () => new RecoveryLogRepository(database.db);
  const TENANT = 'acme' as TenantId;
  const E = '5b7c7a0e-8a3c-4d0e-9a53-00000000000e' as EndpointId;
  const F = '5b7c7a0e-8a3c-4d0e-9a53-00000000000f' as EndpointId;
  let n = 0;
  const deliveryId = () => `0d2f4c7e-1111-4222-8333-${String(++n).padStart(12, '0')}` as DeliveryId;
  const delivery = async (endpointId: EndpointId, createdAt: string, status: string, mode = 'live', id = deliveryId()) => {
    await database.db.query(
      `INSERT INTO deliveries (id, tenant_id, event_id, endpoint_id, event_type, status, created_at, updated_at, mode, attempt_count) VALUES ($1, 'acme', $2, $3, 'invoice.paid', $4, $5, $5, $6, 2)`,
      [id, `evt_${id}`, endpointId, status, createdAt, mode],
    );
    return id;
  };
  const selection = (endpointId: EndpointId, statuses: RecoverySelection['statuses'] = ['dead']): RecoverySelection => ({
    tenantId: TENANT,
    endpointId,
    since: new Date('2026-11-22T10:00:00Z'),
    until: new Date('2026-11-22T11:00:00Z'),
    statuses,
    asOf: new Date('2026-11-22T12:00:00Z'),
  });
  const newJob = (asOf = selection(E).asOf) => jobs().create({ ...selection(E), asOf, id: randomUUID(), total: 3, createdBy: 'key_ops' });
  const expireLeases = () => database.db.query(`UPDATE recovery_jobs SET lease_until = now() - interval '1 second' WHERE lease_until IS NOT NULL`);
  const clear = () => database.db.query(`DELETE FROM recovery_jobs`);

  it('counts and pages exactly the selection in (created_at, id) order: the window, the statuses, live only, one endpoint', async () => {
    const sameInstant = '2026-11-22T10:30:00.000Z';
    const ids = [
      await delivery(E, '2026-11-22T10:00:00.000Z', 'dead'), // since is inclusive
      await delivery(E, sameInstant, 'dead'),
      await delivery(E, sameInstant, 'dead'),
      await delivery(E, '2026-11-22T10:59:59.999Z', 'dead'),
    ];
    await delivery(E, '2026-11-22T11:00:00.000Z', 'dead'); // until is exclusive
    await delivery(E, '2026-11-22T09:59:59.999Z', 'dead');
    await delivery(E, '2026-11-22T10:10:00.000Z', 'succeeded');
    const failing = await delivery(E, '2026-11-22T10:20:00.000Z', 'failing');
    await delivery(E, '2026-11-22T10:15:00.000Z', 'pending');
    await delivery(E, '2026-11-22T10:15:00.000Z', 'dead', 'test');
    await delivery(F, '2026-11-22T10:15:00.000Z', 'dead');
    // Changed in the log after the job was created (a replay by hand, a chain that ended dead just after): left alone.
    const moved = await delivery(E, '2026-11-22T10:40:00.000Z', 'dead');
    await database.db.query(`UPDATE deliveries SET updated_at = '2026-11-22T12:00:00Z' WHERE id = $1`, [moved]);
    const before = await delivery(E, '2026-11-22T10:45:00.000Z', 'dead');
    await database.db.query(`UPDATE deliveries SET updated_at = '2026-11-22T11:59:59.999Z' WHERE id = $1`, [before]);
    ids.splice(3, 0, before);

    expect(await log().count(selection(E))).toBe(5);
    expect(await log().count(selection(E, ['dead', 'failing']))).toBe(6);
    const pages: DeliveryId[][] = [];
    let after: { createdAt: Date; id: DeliveryId } | null = null;
    for (;;) {
      const page = await log().page(selection(E), after, 3);
      if (page.length === 0) break;
      pages.push(page.map((d) => d.id));
      after = { createdAt: page[page.length - 1].createdAt, id: page[page.length - 1].id };
    }
    expect(pages).toEqual([ids.slice(0, 3), ids.slice(3)]);
    expect(await jobs().create({ ...selection(E), id: randomUUID(), total: 5, createdBy: 'key_ops' })).toMatchObject({
      asOf: selection(E).asOf,
      createdAt: selection(E).asOf,
    });
    expect((await log().page(selection(E, ['failing']), null, 10)).map((d) => d.id)).toEqual([failing]);
    expect((await log().deliveries(TENANT, [ids[1], failing])).map((d) => d.id).sort()).toEqual([ids[1], failing].sort());
    expect(await log().deliveries('other' as TenantId, [ids[1]])).toEqual([]);
  });

  it('leases a job to one runner at a time; another takes it over only once the lease expired, and the first then loses every write', async () => {
    await clear();
    const job = await newJob();
    expect(job).toMatchObject({ state: 'queued', done: 0, failed: 0, cursor: null, pendingPage: null });
    const claimed = await Promise.all([jobs().claim('a', 30_000), jobs().claim('b', 30_000)]);
    expect(claimed.filter((c) => c !== null)).toHaveLength(1);
    const winner = claimed[0] ? 'a' : 'b';
    const loser = winner === 'a' ? 'b' : 'a';
    expect(await jobs().claim(loser, 30_000)).toBeNull();
    expect((await jobs().claim(winner, 30_000))?.id).toBe(job.id); // its own job again, lease renewed

    await expireLeases();
    expect((await jobs().claim(loser, 30_000))?.state).toBe('running');
    const page = { items: [{ deliveryId: deliveryId(), attempt: 3 }], last: { createdAt: '2026-11-22T10:00:00.000Z', id: deliveryId() } };
    expect(await jobs().holdPage(job.id, winner, 30_000, page)).toBe(false);
    expect(await jobs().advance(job.id, winner, 30_000, { done: 1, failed: 0, last: page.last })).toBe(false);
    expect(await jobs().finish(job.id, winner, 'done')).toBe(false);
    expect(await jobs().holdPage(job.id, loser, 30_000, page)).toBe(true);
  });

  it('keeps the page in progress and the cursor across a takeover: the new runner finds them as the old one left them', async () => {
    await clear();
    const job = await newJob();
    await jobs().claim('a', 30_000);
    const first = { items: [{ deliveryId: deliveryId(), attempt: 3 }], last: { createdAt: '2026-11-22T10:05:00.123Z', id: deliveryId() } };
    expect(await jobs().holdPage(job.id, 'a', 30_000, first)).toBe(true);
    expect(await jobs().advance(job.id, 'a', 30_000, { done: 1, failed: 0, last: first.last })).toBe(true);
    const second = { items: [{ deliveryId: deliveryId(), attempt: 5 }], last: { createdAt: '2026-11-22T10:06:00.000Z', id: deliveryId() } };
    expect(await jobs().holdPage(job.id, 'a', 30_000, second)).toBe(true);
    // Runner a dies here (kill -9): its page was stored, maybe published, never advanced.
    await expireLeases();
    const resumed = await jobs().claim('b', 30_000);
    expect(resumed).toMatchObject({ id: job.id, done: 1, failed: 0, pendingPage: second, cursor: { id: first.last.id } });
    expect(resumed?.cursor?.createdAt.toISOString()).toBe(first.last.createdAt);
    expect(await jobs().advance(job.id, 'b', 30_000, { done: 0, failed: 1, last: second.last })).toBe(true);
    expect(await jobs().finish(job.id, 'b', 'done')).toBe(true);
    expect(await jobs().find(job.id)).toMatchObject({ state: 'done', done: 1, failed: 1, pendingPage: null });
    expect(await jobs().claim('c', 30_000)).toBeNull();
  });

  it('cancels a queued or running job, after which its runner loses every write; a finished job stays as it was', async () => {
    await clear();
    const running = await newJob();
    await jobs().claim('a', 30_000);
    expect(await jobs().cancel(running.id, TENANT)).toMatchObject({ state: 'cancelled' });
    expect(await jobs().advance(running.id, 'a', 30_000, { done: 1, failed: 0, last: { createdAt: '2026-11-22T10:00:00.000Z', id: deliveryId() } })).toBe(
      false,
    );
    expect(await jobs().claim('a', 30_000)).toBeNull();
    expect(await jobs().cancel(running.id, 'other' as TenantId)).toBeNull();

    const finished = await newJob();
    await jobs().claim('a', 30_000);
    await jobs().finish(finished.id, 'a', 'done');
    expect(await jobs().cancel(finished.id)).toMatchObject({ state: 'done' });
  });

  it("lists a tenant's jobs newest first, paged, and finds a job only within its tenant", async () => {
    await clear();
    const made = [];
    for (let i = 0; i < 3; i++) made.push(await newJob(new Date(Date.parse('2026-11-22T12:00:00Z') + i * 1000)));
    const firstPage = await jobs().list(TENANT, 2);
    expect(firstPage.map((j) => j.id)).toEqual([made[2].id, made[1].id]);
    const last = firstPage[1];
    expect((await jobs().list(TENANT, 2, { createdAt: last.createdAt, id: last.id })).map((j) => j.id)).toEqual([made[0].id]);
    expect(await jobs().list('other' as TenantId, 10)).toEqual([]);
    expect(await jobs().find(made[0].id, 'other' as TenantId)).toBeNull();
    expect((await jobs().find(made[0].id, TENANT))?.id).toBe(made[0].id);
  });
});
