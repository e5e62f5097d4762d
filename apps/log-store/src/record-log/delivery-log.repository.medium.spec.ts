import {
  AttemptOutcomeSchema,
  DeliveryExhaustedSchema,
  DeliveryRequestSchema,
  EventEnvelopeSchema,
  attemptIdFor,
  type AttemptOutcome,
  type DeliveryId,
  type DeliveryRequest,
} from '@hookline/contracts';
import { freshDatabase } from '@hookline/testing';
import { DeliveryLogRepository } from './delivery-log.repository';

/** The delivery log's batched, idempotent writes on a real PostgreSQL. */
describe(DeliveryLogRepository.name, () => {
  const database = freshDatabase();
  const log = () => new DeliveryLogRepository(database.db);
  let n = 0;
  const event = (data: Record<string, unknown> = {}) =>
    EventEnvelopeSchema.parse({
      id: `evt_${++n}`,
      tenantId: 'acme',
      type: 'invoice.paid',
      data,
      occurredAt: '2026-11-22T10:00:00Z',
      receivedAt: '2026-11-22T10:00:01Z',
    });
  const request = (e = event(), attempt = 1): DeliveryRequest =>
    DeliveryRequestSchema.parse({
      deliveryId: `0d2f4c7e-1111-4222-8333-${String(n).padStart(12, '0')}`,
      tenantId: 'acme',
      endpointId: '5b7c7a0e-8a3c-4d0e-9a53-1f6f2a4e9c11',
      endpointVersion: 1,
      attempt,
      reason: attempt === 1 ? 'initial' : 'retry',
      requestedAt: '2026-11-22T10:00:02Z',
      event: e,
    });
  const outcome = (r: DeliveryRequest, attempt: number, status: number | null, body = 'ok'): AttemptOutcome => {
    const ok = status !== null && status >= 200 && status < 300;
    return AttemptOutcomeSchema.parse({
      attemptId: attemptIdFor(r.deliveryId, attempt),
      request: { ...r, attempt },
      url: 'https://hooks.example.com/in',
      requestHeaders: { 'webhook-id': r.event.id },
      startedAt: `2026-11-22T10:0${attempt}:00Z`,
      durationMs: 12.6,
      succeeded: ok,
      failure: ok ? null : status === null ? { kind: 'timeout', message: 'no answer' } : { kind: 'http_status', message: `endpoint answered ${status}` },
      response: status === null ? null : { status, headers: { 'x-a': 'b' }, body, bodyTruncated: false },
      retryAfterSeconds: null,
    });
  };
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

  it('marks a delivery dead, creating its row when its other records have not been written yet', async () => {
    const r = request();
    await log().markDead([DeliveryExhaustedSchema.parse(exhausted(r, 11))]);
    expect(await delivery(r.deliveryId)).toEqual({ status: 'dead', attempt_count: 11, last_response_status: null });
    await log().recordAttempts([outcome(r, 11, 503)]);
    expect((await delivery(r.deliveryId)).status).toBe('dead');
  });

  it('keeps NUL out of the tables without jamming the batch (regression: one NUL refused a whole batch)', async () => {
    const r = request(event({ note: 'a\u0000b' }));
    await log().insertEvents([r.event]);
    await log().insertDeliveries([r]);
    await log().recordAttempts([outcome(r, 1, 500, 'bad\u0000body')]);
    const [stored] = (await database.db.query(`SELECT response_body FROM attempts WHERE delivery_id = $1`, [r.deliveryId])) as { response_body: string }[];
    expect(stored.response_body).toBe('bad\ufffdbody');
  });

  it('deletes rows older than the retention period, and only those', async () => {
    const [old, recent] = [request(), request()];
    for (const r of [old, recent]) {
      await log().insertEvents([r.event]);
      await log().insertDeliveries([r]);
      await log().recordAttempts([outcome(r, 1, 200)]);
    }
    await database.db.query(`UPDATE events SET received_at = now() - interval '31 days' WHERE id = $1`, [old.event.id]);
    await database.db.query(`UPDATE deliveries SET created_at = now() - interval '31 days' WHERE id = $1`, [old.deliveryId]);
    await database.db.query(`UPDATE attempts SET started_at = now() - interval '31 days' WHERE delivery_id = $1`, [old.deliveryId]);
    await database.db.query(`UPDATE events SET received_at = now(), occurred_at = now() WHERE id = $1`, [recent.event.id]);
    await database.db.query(`UPDATE deliveries SET created_at = now() WHERE id = $1`, [recent.deliveryId]);
    await database.db.query(`UPDATE attempts SET started_at = now() WHERE delivery_id = $1`, [recent.deliveryId]);
    const before = await Promise.all(['events', 'deliveries', 'attempts'].map(count));
    expect(await log().purgeOlderThan(30)).toBe(3);
    expect(await Promise.all(['events', 'deliveries', 'attempts'].map(count))).toEqual(before.map((c) => c - 1));
    expect(await delivery(recent.deliveryId)).toBeDefined();
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
