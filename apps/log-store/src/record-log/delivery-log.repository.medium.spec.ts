import { DeliveryExhaustedSchema, type AttemptOutcome, type DeliveryId, type DeliveryRequest } from '@hookline/contracts';
import { aDeliveryRequest, anEvent, anOutcome, freshDatabase } from '@hookline/testing';
import { DeliveryLogRepository } from './delivery-log.repository';

/** The delivery log's batched, idempotent writes on a real PostgreSQL. */
describe(DeliveryLogRepository.name, () => {
  const database = freshDatabase();
  const log = () => new DeliveryLogRepository(database.db);
  let n = 0;
  const event = (data: Record<string, unknown> = {}) => anEvent({ id: `evt_${++n}`, data, receivedAt: '2026-11-22T10:00:01Z' });
  const request = (e = event(), attempt = 1): DeliveryRequest => aDeliveryRequest(n, { attempt, event: e });
  const outcome = (r: DeliveryRequest, attempt: number, status: number | null, body = 'ok'): AttemptOutcome =>
    anOutcome(r, attempt, status, status === null ? {} : { response: { status, headers: { 'x-a': 'b' }, body, bodyTruncated: false } });
  const delivery = async (id: DeliveryId) =>
    (
      (await database.db.query(`SELECT status, attempt_count, last_response_status FROM deliveries WHERE id = $1`, [id])) as {
        status: string;
        attempt_count: number;
        last_response_status: number | null;
      }[]
    )[0];
  const count = async (table: string) => Number(((await database.db.query(`SELECT count(*)::int AS c FROM ${table}`)) as { c: number }[])[0].c);

  it('writes a batch twice and changes nothing the second time (keyed by the deterministic ids)', async () => {
    const r = request();
    const batch = async () => {
      await log().insertEvents([r.event]);
      await log().insertDeliveries([r, r]);
      await log().recordAttempts([outcome(r, 1, 500), outcome(r, 1, 500)]);
    };
    await batch();
    const before = await Promise.all(['events', 'deliveries', 'attempts'].map(count));
    await batch();
    expect(await Promise.all(['events', 'deliveries', 'attempts'].map(count))).toEqual(before);
    expect(await delivery(r.deliveryId)).toEqual({ status: 'failing', attempt_count: 1, last_response_status: 500 });
  });

  it('keeps a rule delivery’s rule and body when its attempt was logged before its request (regression: the row the outcome made kept neither)', async () => {
    const plain = request();
    const ruled: DeliveryRequest = {
      ...request(),
      rule: { id: '0b6f3c2e-1d4a-4c5b-8e9f-7a6b5c4d3e21', version: 2, actionKey: 'page' },
      body: { title: 'VIP' },
    };
    // The outcomes topic is read apart from the requests topic: the attempt can come first.
    await log().recordAttempts([outcome(ruled, 1, 200), outcome(plain, 1, 200)]);
    await log().insertDeliveries([ruled, plain]);
    await log().insertDeliveries([ruled]);
    const rows = (await database.db.query(`SELECT id, status, rule, body FROM deliveries WHERE id = ANY($1::uuid[])`, [
      [ruled.deliveryId, plain.deliveryId],
    ])) as {
      id: string;
      status: string;
      rule: unknown;
      body: unknown;
    }[];
    expect(rows.find((r) => r.id === ruled.deliveryId)).toEqual({ id: ruled.deliveryId, status: 'succeeded', rule: ruled.rule, body: { title: 'VIP' } });
    expect(rows.find((r) => r.id === plain.deliveryId)).toEqual({ id: plain.deliveryId, status: 'succeeded', rule: null, body: null });
  });

  it('moves a delivery forward only: a success stays a success, whatever arrives after it', async () => {
    const r = request();
    await log().insertDeliveries([r]);
    expect(await delivery(r.deliveryId)).toMatchObject({ status: 'pending', attempt_count: 0 });
    await log().recordAttempts([outcome(r, 2, 200)]);
    await log().recordAttempts([outcome(r, 1, null)]); // a late outcome of an earlier attempt
    expect(await delivery(r.deliveryId)).toEqual({ status: 'succeeded', attempt_count: 2, last_response_status: 200 });
    await log().markDead([DeliveryExhaustedSchema.parse(exhausted(r, 2))]);
    expect((await delivery(r.deliveryId)).status).toBe('succeeded');
  });

  it('lets a replay move a dead delivery again, logs who replayed each attempt, and a redone older batch changes nothing', async () => {
    const r = request();
    await log().insertDeliveries([r]);
    await log().recordAttempts([outcome(r, 1, 500), outcome(r, 2, 500)]);
    await log().markDead([DeliveryExhaustedSchema.parse(exhausted(r, 2))]);
    expect(await delivery(r.deliveryId)).toEqual({ status: 'dead', attempt_count: 2, last_response_status: 500 });

    const replay = { by: 'key_ops', at: '2026-11-23T09:00:00.000Z', jobId: '7d1c2b3a-4e5f-4a6b-8c7d-9e0f1a2b3c4d' };
    const replayed: DeliveryRequest = { ...r, reason: 'replay', chainStart: 3, replay };
    await log().insertDeliveries([{ ...replayed, attempt: 3 }]); // the replay's request: the delivery exists, nothing moves
    expect((await delivery(r.deliveryId)).status).toBe('dead');
    await log().recordAttempts([outcome(replayed, 3, 503)]);
    expect(await delivery(r.deliveryId)).toEqual({ status: 'failing', attempt_count: 3, last_response_status: 503 });
    // The first chain's records redone (a log-store crash before its commit) leave the replay's status alone.
    await log().recordAttempts([outcome(r, 2, 500)]);
    await log().markDead([DeliveryExhaustedSchema.parse(exhausted(r, 2))]);
    expect(await delivery(r.deliveryId)).toEqual({ status: 'failing', attempt_count: 3, last_response_status: 503 });
    await log().recordAttempts([outcome(replayed, 4, 200)]);
    expect(await delivery(r.deliveryId)).toEqual({ status: 'succeeded', attempt_count: 4, last_response_status: 200 });

    const attempts = (await database.db.query(`SELECT attempt_number, replay FROM attempts WHERE delivery_id = $1 ORDER BY attempt_number`, [
      r.deliveryId,
    ])) as {
      attempt_number: number;
      replay: unknown;
    }[];
    expect(attempts).toEqual([
      { attempt_number: 1, replay: null },
      { attempt_number: 2, replay: null },
      { attempt_number: 3, replay },
      { attempt_number: 4, replay },
    ]);
  });

  it('lets a replay move a succeeded delivery again: its result becomes the status, and an exhausted replay chain is dead', async () => {
    const r = request();
    await log().recordAttempts([outcome(r, 1, 200)]);
    const replayed: DeliveryRequest = { ...r, reason: 'replay', chainStart: 2, replay: { by: 'bootstrap', at: '2026-11-23T09:00:00.000Z' } };
    await log().recordAttempts([outcome(replayed, 2, 500)]);
    expect(await delivery(r.deliveryId)).toEqual({ status: 'failing', attempt_count: 2, last_response_status: 500 });
    await log().markDead([DeliveryExhaustedSchema.parse(exhausted(r, 2))]);
    expect((await delivery(r.deliveryId)).status).toBe('dead');
  });

  it('marks a delivery dead, creating its row when its other records have not been written yet', async () => {
    const r = request();
    await log().markDead([DeliveryExhaustedSchema.parse(exhausted(r, 11))]);
    expect(await delivery(r.deliveryId)).toEqual({ status: 'dead', attempt_count: 11, last_response_status: null });
    await log().recordAttempts([outcome(r, 11, 503)]);
    expect((await delivery(r.deliveryId)).status).toBe('dead');
  });

  it('keeps a test send apart (mode test on its delivery and attempt) and ends a failed one at once; live rows stay live', async () => {
    const live = request();
    const test: DeliveryRequest = { ...request(), mode: 'test' };
    await log().insertDeliveries([live, test]);
    await log().recordAttempts([outcome(live, 1, 500), outcome(test, 1, 500)]);
    const modes = async (table: string, column: string) =>
      Object.fromEntries(
        (
          (await database.db.query(`SELECT ${column} AS id, mode FROM ${table} WHERE ${column} = ANY($1)`, [[live.deliveryId, test.deliveryId]])) as {
            id: string;
            mode: string;
          }[]
        ).map((r) => [r.id, r.mode]),
      );
    expect(await modes('deliveries', 'id')).toEqual({ [live.deliveryId]: 'live', [test.deliveryId]: 'test' });
    expect(await modes('attempts', 'delivery_id')).toEqual({ [live.deliveryId]: 'live', [test.deliveryId]: 'test' });
    expect((await delivery(live.deliveryId)).status).toBe('failing');
    expect((await delivery(test.deliveryId)).status).toBe('dead');
  });

  it('keeps NUL out of the tables without jamming the batch (regression: one NUL refused a whole batch)', async () => {
    const r = request(event({ note: 'a\u0000b' }));
    await log().insertEvents([r.event]);
    await log().insertDeliveries([r]);
    await log().recordAttempts([outcome(r, 1, 500, 'bad\u0000body')]);
    const [stored] = (await database.db.query(`SELECT response_body FROM attempts WHERE delivery_id = $1`, [r.deliveryId])) as { response_body: string }[];
    expect(stored.response_body).toBe('bad\ufffdbody');
  });

  function exhausted(r: DeliveryRequest, attempts: number) {
    return {
      deliveryId: r.deliveryId,
      tenantId: r.tenantId,
      endpointId: r.endpointId,
      eventId: r.event.id,
      eventType: r.event.type,
      eventReceivedAt: r.event.receivedAt,
      attempts,
      reason: 'all attempts failed',
      exhaustedAt: '2026-11-23T10:00:00Z',
    };
  }
});
