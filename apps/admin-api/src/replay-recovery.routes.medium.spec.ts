import type { DeliveryRequest } from '@hookline/contracts';
import { freshDatabase, type InProcessService } from '@hookline/testing';
import { randomBytes, randomUUID } from 'node:crypto';
import { startAdminApi } from './admin-api.fixtures';

/**
 * Replay and recovery through admin-api's HTTP API, in process on a real
 * PostgreSQL with Kafka recorded: what each route publishes, what it refuses
 * and how, and a recovery job run to its end by the in-process runner.
 */
describe('replay and recovery routes', () => {
  const database = freshDatabase();
  const TOKEN = `admin-token-${randomBytes(8).toString('hex')}`;
  const A = 'replay-a';
  let api: InProcessService;
  let endpointId: string;
  let endpointVersion: number;
  let n = 0;
  const requested = () => api.produced.filter((p) => p.topic === 'hookline.deliveries.requested.v1').map((p) => p.value as DeliveryRequest);

  /** A delivery of tenant A's endpoint created at `createdAt`, with its event in the log (unless `withEvent` is false). */
  const delivery = async (status: string, createdAt: string, attempts = 3, withEvent = true) => {
    const id = `0d2f4c7e-1111-4222-8333-${String(++n).padStart(12, '0')}`;
    await database.db.query(
      `INSERT INTO deliveries (id, tenant_id, event_id, endpoint_id, event_type, status, attempt_count, created_at) VALUES ($1, $2, $3, $4, 'invoice.paid', $5, $6, $7)`,
      [id, A, `evt_${n}`, endpointId, status, attempts, createdAt],
    );
    if (withEvent) {
      await database.db.query(
        `INSERT INTO events (tenant_id, id, type, data, occurred_at, received_at) VALUES ($1, $2, 'invoice.paid', $3, '2026-11-20T09:00:00Z', $4)`,
        [A, `evt_${n}`, JSON.stringify({ n, amount: 4200 }), createdAt],
      );
    }
    return id;
  };
  const replay = (id: string, body?: unknown) => api.call<Record<string, unknown>>('POST', `/v1/deliveries/${id}/replay`, { token: TOKEN, body });
  const recover = (body: unknown) => api.call<Record<string, unknown>>('POST', `/v1/tenants/${A}/endpoints/${endpointId}/recover`, { token: TOKEN, body });

  beforeAll(async () => {
    api = await startAdminApi(database.url, TOKEN);
    const endpoint = await api.call<{ id: string }>('POST', `/v1/tenants/${A}/endpoints`, { token: TOKEN, body: { url: 'https://hooks.example.com/a' } });
    endpointId = endpoint.body.id;
    await api.call('PATCH', `/v1/tenants/${A}/endpoints/${endpointId}`, { token: TOKEN, body: { description: 'version 2' } });
    endpointVersion = ((await database.db.query(`SELECT version FROM endpoints WHERE id = $1`, [endpointId])) as { version: number }[])[0].version;
  }, 60_000);
  afterAll(() => api?.close());

  describe('POST /v1/deliveries/:id/replay', () => {
    it.each(['dead', 'succeeded'])('answers 202 for a %s delivery and publishes the next attempt as a replay chain of its own', async (status) => {
      const id = await delivery(status, '2026-11-20T10:00:00.000Z');
      const before = requested().length;
      const res = await replay(id);
      expect(res.status).toBe(202);
      expect(res.body).toMatchObject({ attempt: 4, delivery: { id, status, attemptCount: 3, endpointId } });
      const sent = requested().slice(before);
      expect(sent).toEqual([
        expect.objectContaining({
          deliveryId: id,
          tenantId: A,
          endpointId,
          endpointVersion,
          attempt: 4,
          chainStart: 4,
          reason: 'replay',
          replay: { by: 'bootstrap', at: expect.any(String) },
          event: {
            id: `evt_${n}`,
            tenantId: A,
            type: 'invoice.paid',
            data: { n, amount: 4200 },
            occurredAt: '2026-11-20T09:00:00.000Z',
            receivedAt: '2026-11-20T10:00:00.000Z',
          },
        }),
      ]);
      expect(sent[0].mode).toBeUndefined();
    });

    it('names the API key that replayed it', async () => {
      const key = await api.call<{ id: string; key: string }>('POST', '/v1/api-keys', {
        token: TOKEN,
        body: { name: 'ops', tenantId: A, scopes: ['deliveries:replay', 'deliveries:read'] },
      });
      const id = await delivery('dead', '2026-11-20T10:00:00.000Z');
      expect((await api.call('POST', `/v1/deliveries/${id}/replay`, { token: key.body.key })).status).toBe(202);
      expect(requested().at(-1)?.replay?.by).toBe(key.body.id);
    });

    it.each(['pending', 'failing'])('answers 409 delivery_in_progress for a %s delivery, publishing nothing', async (status) => {
      const id = await delivery(status, '2026-11-20T10:00:00.000Z');
      const before = requested().length;
      const res = await replay(id);
      expect(res).toEqual({ status: 409, body: { error: 'delivery_in_progress', message: expect.stringContaining('still being tried') } });
      expect(requested().length).toBe(before);
    });

    it('answers 409 event_unavailable when the log no longer holds the event', async () => {
      const id = await delivery('dead', '2026-11-20T10:00:00.000Z', 3, false);
      expect(await replay(id)).toMatchObject({ status: 409, body: { error: 'event_unavailable' } });
    });

    it.each([
      ['an unknown delivery', '6c8d8b1f-9b4d-4e1f-8b64-2a7a3b5f0d22'],
      ['a delivery id that is no UUID', 'nope'],
    ])('answers 404 not_found to %s', async (_name, id) => {
      expect(await replay(id)).toEqual({ status: 404, body: { error: 'not_found', message: expect.any(String) } });
    });

    it('answers 400 naming the field to a body with fields, and to a bad tenantId from a global key', async () => {
      const id = await delivery('dead', '2026-11-20T10:00:00.000Z');
      expect(await replay(id, { attempt: 9 })).toMatchObject({
        status: 400,
        body: { error: 'validation_failed', issues: [{ field: '(root)', rule: expect.stringContaining('attempt') }] },
      });
      const res = await api.call('POST', `/v1/deliveries/${id}/replay?tenantId=has%20space`, { token: TOKEN });
      expect(res).toMatchObject({ status: 400, body: { issues: [{ field: 'tenantId' }] } });
    });
  });

  describe('POST /v1/deliveries/:id/retry-now', () => {
    const retryNow = (id: string, token = TOKEN) => api.call<Record<string, unknown>>('POST', `/v1/deliveries/${id}/retry-now`, { token });
    /** retry-scheduler's row for the delivery: due at `dueAt`, or held (null). */
    const schedule = (id: string, attempt: number, dueAt: string | null) =>
      database.db.query(`INSERT INTO retry_schedule (delivery_id, next_attempt, due_at, tenant_id, endpoint_id, request) VALUES ($1, $2, $3, $4, $5, '{}')`, [
        id,
        attempt,
        dueAt,
        A,
        endpointId,
      ]);
    const row = async (id: string) =>
      (
        (await database.db.query(`SELECT next_attempt, due_at, due_at <= now() AS due FROM retry_schedule WHERE delivery_id = $1`, [id])) as {
          next_attempt: number;
          due_at: Date | null;
          due: boolean | null;
        }[]
      )[0];

    it('answers 202 naming the attempt, and the scheduled row is due now; nothing is published by admin-api', async () => {
      const id = await delivery('failing', '2026-11-20T10:00:00.000Z');
      const later = new Date(Date.now() + 4 * 3_600_000).toISOString();
      await schedule(id, 4, later);
      const before = requested().length;
      expect(await retryNow(id)).toEqual({ status: 202, body: { deliveryId: id, attempt: 4 } });
      expect(await row(id)).toMatchObject({ next_attempt: 4, due: true });
      expect(requested().length).toBe(before);
      const shown = await api.call<{ nextAttempt: { attempt: number; dueAt: string; held: boolean } }>('GET', `/v1/deliveries/${id}`, { token: TOKEN });
      expect(shown.body.nextAttempt).toMatchObject({ attempt: 4, held: false });
      expect(Date.parse(shown.body.nextAttempt.dueAt)).toBeLessThanOrEqual(Date.now() + 1_000);
    });

    it('answers 409 endpoint_paused to a held retry, and leaves it held', async () => {
      const id = await delivery('failing', '2026-11-20T10:00:00.000Z');
      await schedule(id, 5, null);
      expect(await retryNow(id)).toEqual({ status: 409, body: { error: 'endpoint_paused', message: expect.stringContaining('resume the endpoint first') } });
      expect(await row(id)).toEqual({ next_attempt: 5, due_at: null, due: null });
    });

    it.each(['dead', 'failing'])('answers 409 delivery_not_scheduled to a %s delivery with no scheduled row', async (status) => {
      const id = await delivery(status, '2026-11-20T10:00:00.000Z');
      expect(await retryNow(id)).toEqual({
        status: 409,
        body: { error: 'delivery_not_scheduled', message: expect.stringContaining('not waiting for a retry; replay it if it has succeeded or is dead') },
      });
    });

    it("answers 404 to another tenant's key and to an unknown delivery, moving nothing", async () => {
      const id = await delivery('failing', '2026-11-20T10:00:00.000Z');
      const later = new Date(Date.now() + 3_600_000).toISOString();
      await schedule(id, 2, later);
      const other = await api.call<{ key: string }>('POST', '/v1/api-keys', {
        token: TOKEN,
        body: { name: 'other', tenantId: 'replay-b', scopes: ['deliveries:replay'] },
      });
      expect(await retryNow(id, other.body.key)).toMatchObject({ status: 404, body: { error: 'not_found' } });
      expect((await api.call('POST', `/v1/deliveries/${id}/retry-now?tenantId=replay-b`, { token: TOKEN })).status).toBe(404);
      expect((await retryNow('6c8d8b1f-9b4d-4e1f-8b64-2a7a3b5f0d22')).status).toBe(404);
      expect((await row(id)).due_at?.toISOString()).toBe(later);
    });

    it('answers 403 naming deliveries:replay to a key without it, moving nothing', async () => {
      const id = await delivery('failing', '2026-11-20T10:00:00.000Z');
      const later = new Date(Date.now() + 3_600_000).toISOString();
      await schedule(id, 2, later);
      const reader = await api.call<{ key: string }>('POST', '/v1/api-keys', {
        token: TOKEN,
        body: { name: 'reader', tenantId: A, scopes: ['deliveries:read'] },
      });
      expect(await retryNow(id, reader.body.key)).toMatchObject({ status: 403, body: { error: 'forbidden', missingScope: 'deliveries:replay' } });
      expect((await row(id)).due_at?.toISOString()).toBe(later);
    });
  });

  describe('POST …/endpoints/:id/recover', () => {
    it.each([
      ['a missing since', {}, 'since', ''],
      ['a since that is no date-time', { since: 'yesterday' }, 'since', 'ISO 8601'],
      ['an until before since', { since: '2026-11-20T10:00:00Z', until: '2026-11-20T09:00:00Z' }, 'until', 'must be after since'],
      ['an unknown status', { since: '2026-11-20T10:00:00Z', statuses: ['lost'] }, 'statuses.0', 'must be one of dead, failing, succeeded'],
      ['an empty status list', { since: '2026-11-20T10:00:00Z', statuses: [] }, 'statuses', 'at least one'],
      ['a dryRun that is no boolean', { since: '2026-11-20T10:00:00Z', dryRun: 'yes' }, 'dryRun', 'true or false'],
      ['an unknown field', { since: '2026-11-20T10:00:00Z', limit: 5 }, '(root)', 'limit'],
    ])('answers 400 naming the field to %s', async (_name, body, field, rule) => {
      const res = await recover(body);
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ error: 'validation_failed', issues: expect.arrayContaining([{ field, rule: expect.stringContaining(rule) }]) });
    });

    it('answers 404 for an unknown endpoint', async () => {
      const res = await api.call('POST', `/v1/tenants/${A}/endpoints/5b7c7a0e-8a3c-4d0e-9a53-1f6f2a4e9c11/recover`, {
        token: TOKEN,
        body: { since: '2026-11-20T10:00:00Z' },
      });
      expect(res.status).toBe(404);
    });

    it('counts in a dry run exactly what the job then resends, once each, as replays of the job; the job ends done', async () => {
      const window = { since: '2026-11-21T10:00:00Z', until: '2026-11-21T11:00:00Z' };
      const dead = [];
      for (let i = 0; i < 7; i++) dead.push(await delivery('dead', `2026-11-21T10:0${i}:00.000Z`));
      const failing = await delivery('failing', '2026-11-21T10:30:00.000Z');
      await delivery('succeeded', '2026-11-21T10:31:00.000Z');
      await delivery('dead', '2026-11-21T11:00:00.000Z'); // outside the window
      const before = requested().length;
      expect(await recover({ ...window, dryRun: true })).toEqual({ status: 200, body: { count: 7 } });
      expect(await recover({ ...window, statuses: ['dead', 'failing'], dryRun: true })).toEqual({ status: 200, body: { count: 8 } });
      expect(requested().length).toBe(before);
      expect(((await database.db.query(`SELECT count(*)::int AS c FROM recovery_jobs WHERE endpoint_id = $1`, [endpointId])) as { c: number }[])[0].c).toBe(0);

      const started = await recover({ ...window, statuses: ['dead', 'failing'] });
      expect(started).toMatchObject({
        status: 202,
        body: {
          tenantId: A,
          endpointId,
          since: '2026-11-21T10:00:00.000Z',
          until: '2026-11-21T11:00:00.000Z',
          statuses: ['dead', 'failing'],
          state: 'queued',
          total: 8,
          done: 0,
          failed: 0,
          createdBy: 'bootstrap',
        },
      });
      const jobId = started.body.id as string;
      let job: Record<string, unknown> = {};
      for (let i = 0; i < 100 && job.state !== 'done'; i++) {
        await new Promise((r) => setTimeout(r, 100));
        job = (await api.call<Record<string, unknown>>('GET', `/v1/recovery-jobs/${jobId}`, { token: TOKEN })).body;
      }
      expect(job).toMatchObject({ state: 'done', total: 8, done: 8, failed: 0 });
      const sent = requested().slice(before);
      expect(sent.map((r) => r.deliveryId)).toEqual([...dead, failing]);
      expect(sent.every((r) => r.replay?.jobId === jobId && r.replay.by === 'bootstrap' && r.attempt === 4 && r.chainStart === 4)).toBe(true);

      expect(await api.call('POST', `/v1/recovery-jobs/${jobId}/cancel`, { token: TOKEN })).toMatchObject({
        status: 409,
        body: { error: 'recovery_job_finished' },
      });
      const list = await api.call<{ data: { id: string }[] }>('GET', `/v1/tenants/${A}/recovery-jobs?limit=1`, { token: TOKEN });
      expect(list).toMatchObject({ status: 200, body: { data: [{ id: jobId }], nextCursor: null } });
    });

    it('cancels a job: the answer shows it cancelled, and no runner sends anything for it afterwards', async () => {
      const window = { since: '2026-11-22T10:00:00Z', until: '2026-11-22T11:00:00Z' };
      await delivery('dead', '2026-11-22T10:00:00.000Z');
      const started = await recover(window);
      const jobId = started.body.id as string;
      // Leased by a runner elsewhere, so the in-process one cannot start it before the cancel lands.
      await database.db.query(`UPDATE recovery_jobs SET lease_owner = 'elsewhere', lease_until = now() + interval '1 hour' WHERE id = $1`, [jobId]);
      const before = requested().length;
      const cancelled = await api.call('POST', `/v1/recovery-jobs/${jobId}/cancel`, { token: TOKEN });
      expect(cancelled).toMatchObject({ status: 200, body: { id: jobId, state: 'cancelled', done: 0 } });
      expect(await api.call('POST', `/v1/recovery-jobs/${jobId}/cancel`, { token: TOKEN })).toMatchObject({ status: 200, body: { state: 'cancelled' } });
      await new Promise((r) => setTimeout(r, 1_500)); // longer than the runner's poll
      expect(requested().length).toBe(before);
      expect((await api.call('GET', `/v1/recovery-jobs/${jobId}?tenantId=${A}`, { token: TOKEN })).body).toMatchObject({ state: 'cancelled', done: 0 });
    });

    it('answers 404 to an unknown or malformed recovery job id, and 400 to a list limit over 100', async () => {
      expect((await api.call('GET', `/v1/recovery-jobs/${randomUUID()}`, { token: TOKEN })).status).toBe(404);
      expect((await api.call('GET', '/v1/recovery-jobs/nope', { token: TOKEN })).status).toBe(404);
      expect((await api.call('POST', `/v1/recovery-jobs/${randomUUID()}/cancel`, { token: TOKEN })).status).toBe(404);
      expect(await api.call('GET', `/v1/tenants/${A}/recovery-jobs?limit=500`, { token: TOKEN })).toMatchObject({
        status: 400,
        body: { issues: [{ field: 'limit' }] },
      });
    });
  });
});
