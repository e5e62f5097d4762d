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
});
