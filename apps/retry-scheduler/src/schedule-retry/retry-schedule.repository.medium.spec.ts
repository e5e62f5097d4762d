import type { DeliveryId, DeliveryRequest } from '@hookline/contracts';
import { aDeliveryRequest, deliveryIdNumber, freshDatabase } from '@hookline/testing';
import { RetryScheduleRepository, type ScheduledRetry } from './retry-schedule.repository';

/** The durable retry schedule on a real PostgreSQL. */
describe(RetryScheduleRepository.name, () => {
  const database = freshDatabase();
  const repo = () => new RetryScheduleRepository(database.db);
  let n = 0;
  const id = () => deliveryIdNumber(++n) as DeliveryId;
  const retry = (deliveryId: DeliveryId, attempt: number, dueInMs: number): ScheduledRetry => ({
    request: aDeliveryRequest(Number(deliveryId.slice(-12)), { attempt }),
    dueAt: new Date(Date.now() + dueInMs),
    traceHeaders: { traceparent: `t-${deliveryId.slice(-4)}` },
  });
  const row = async (deliveryId: DeliveryId) =>
    (
      (await database.db.query(`SELECT next_attempt, request FROM retry_schedule WHERE delivery_id = $1`, [deliveryId])) as {
        next_attempt: number;
        request: DeliveryRequest;
      }[]
    )[0];
  const issueAll = async () => {
    const issued: ScheduledRetry[] = [];
    await repo().issueDue(1000, async (due) => void issued.push(...due));
    return issued;
  };

  beforeEach(() => database.db.query('DELETE FROM retry_schedule'));

  it('keeps one row per delivery that never moves back to an earlier attempt (a redelivered outcome)', async () => {
    const d = id();
    await repo().upsert([retry(d, 3, 60_000)]);
    await repo().upsert([retry(d, 2, 1_000)]);
    expect((await row(d)).next_attempt).toBe(3);
    await repo().upsert([retry(d, 4, 60_000), retry(d, 4, 90_000)]);
    expect((await row(d)).next_attempt).toBe(4);
  });

  it('issues only what is due, oldest first, with its request and trace headers, and deletes it', async () => {
    const [late, early, future] = [id(), id(), id()];
    await repo().upsert([retry(late, 2, -1_000), retry(early, 2, -5_000), retry(future, 2, 60_000)]);
    const issued = await issueAll();
    expect(issued.map((r) => r.request.deliveryId)).toEqual([early, late]);
    expect(issued[0].traceHeaders).toEqual({ traceparent: `t-${early.slice(-4)}` });
    expect(await row(early)).toBeUndefined();
    expect(await row(future)).toBeDefined();
  });

  it('leaves due rows in place when issuing them fails, so nothing is lost', async () => {
    const d = id();
    await repo().upsert([retry(d, 5, -1_000)]);
    await expect(repo().issueDue(10, async () => Promise.reject(new Error('broker down')))).rejects.toThrow('broker down');
    expect((await row(d)).next_attempt).toBe(5);
    expect((await issueAll()).map((r) => r.request.attempt)).toEqual([5]);
  });

  it('never hands one due row to two instances at once (FOR UPDATE SKIP LOCKED)', async () => {
    const due = Array.from({ length: 40 }, () => id());
    await repo().upsert(due.map((d) => retry(d, 2, -1_000)));
    const taken: DeliveryId[][] = [[], [], [], []];
    await Promise.all(
      taken.map((mine) =>
        repo().issueDue(15, async (rows) => {
          mine.push(...rows.map((r) => r.request.deliveryId));
          await new Promise((r) => setTimeout(r, 50));
        }),
      ),
    );
    const all = taken.flat();
    expect(new Set(all).size).toBe(all.length);
    expect(all.length).toBeGreaterThan(15);
  });

  it('cancels the pending retries of finished deliveries only', async () => {
    const [done, pending] = [id(), id()];
    await repo().upsert([retry(done, 2, 60_000), retry(pending, 2, 60_000)]);
    await repo().cancel([done]);
    expect(await row(done)).toBeUndefined();
    expect(await row(pending)).toBeDefined();
  });

  describe('held requests (paused endpoints)', () => {
    const ENDPOINT = aDeliveryRequest(1).endpointId;
    const heldRequest = (n: number, receivedAt: string, version = 3, attempt = 1) => ({
      request: aDeliveryRequest(n, { attempt, event: { ...aDeliveryRequest(n).event, receivedAt } }),
      heldAtVersion: version,
      traceHeaders: { traceparent: `t${n}` },
    });
    const releaseAll = async (upTo = 100) => {
      const out: string[] = [];
      while ((await repo().release(ENDPOINT, upTo, 2, async (rows) => void out.push(...rows.map((r) => r.request.event.id)))) > 0);
      return out;
    };

    it('are never issued as due, and are released in creation order, ties in the order they were held, pages at a time', async () => {
      const same = '2026-11-22T10:00:00.000Z';
      await repo().hold([heldRequest(5, same), heldRequest(3, same), heldRequest(9, '2026-11-22T09:59:59.000Z')]);
      await repo().hold([heldRequest(1, same), heldRequest(7, '2026-11-22T10:00:01.000Z')]);
      expect(await issueAll()).toEqual([]);
      expect(await repo().heldEndpoints(10)).toEqual([{ endpointId: ENDPOINT, lowestHeldVersion: 3 }]);
      expect(await releaseAll()).toEqual(['evt_9', 'evt_5', 'evt_3', 'evt_1', 'evt_7']);
      expect(await repo().heldEndpoints(10)).toEqual([]);
    });

    it('puts a released request handed back at the place it had, before those held after it', async () => {
      const at = '2026-11-22T10:00:00.000Z';
      await repo().hold([heldRequest(1, at), heldRequest(2, at), heldRequest(3, at)]);
      const first: { n: string; order: number }[] = [];
      await repo().release(ENDPOINT, 10, 1, async (rows) => void first.push(...rows.map((r) => ({ n: r.request.event.id, order: r.holdOrder! }))));
      expect(first.map((f) => f.n)).toEqual(['evt_1']);
      const back = heldRequest(1, at, 0);
      await repo().hold([{ ...back, request: { ...back.request, release: { page: 'p', order: first[0].order } } }]);
      expect(await releaseAll()).toEqual(['evt_1', 'evt_2', 'evt_3']);
    });

    it('releases only what was held at the version given or before', async () => {
      await repo().hold([heldRequest(1, '2026-11-22T10:00:00.000Z', 3), heldRequest(2, '2026-11-22T10:00:01.000Z', 5)]);
      expect(await releaseAll(4)).toEqual(['evt_1']);
      expect(await releaseAll(5)).toEqual(['evt_2']);
    });

    it('holds over a scheduled retry of the same attempt and keeps its trace headers; an older attempt never replaces it', async () => {
      const d = aDeliveryRequest(4).deliveryId;
      await repo().upsert([{ request: aDeliveryRequest(4, { attempt: 2 }), dueAt: new Date(Date.now() - 1000), traceHeaders: {} }]);
      await repo().hold([heldRequest(4, '2026-11-22T10:00:00.000Z', 3, 2)]);
      await repo().hold([heldRequest(4, '2026-11-22T10:00:00.000Z', 3, 1)]);
      expect(await issueAll()).toEqual([]);
      expect((await row(d)).next_attempt).toBe(2);
      const released: { attempt: number; trace: string }[] = [];
      await repo().release(
        ENDPOINT,
        10,
        10,
        async (rows) => void released.push(...rows.map((r) => ({ attempt: r.request.attempt, trace: r.traceHeaders.traceparent }))),
      );
      expect(released).toEqual([{ attempt: 2, trace: 't4' }]);
    });

    it('lets one instance release an endpoint at a time, so pages never overtake each other', async () => {
      await repo().hold([1, 2, 3, 4].map((n) => heldRequest(n, `2026-11-22T10:00:0${n}.000Z`)));
      let inside = 0;
      let most = 0;
      const counts = await Promise.all(
        [0, 1, 2].map(() =>
          repo().release(ENDPOINT, 10, 2, async () => {
            inside += 1;
            most = Math.max(most, inside);
            await new Promise((r) => setTimeout(r, 100));
            inside -= 1;
          }),
        ),
      );
      expect(most).toBe(1);
      expect(counts.sort()).toEqual([0, 0, 2]);
    });
  });
});
