import { DeliveriesExhaustedTopic, type AttemptOutcome, type DeliveryExhausted, type DeliveryId, type DeliveryRequest } from '@hookline/contracts';
import type { OutgoingMessage } from '@hookline/kafka';
import { aDeliveryRequest, anOutcome, deliveryIdNumber } from '@hookline/testing';
import pino from 'pino';
import type { HeldRequest, ScheduledRetry } from './retry-schedule.repository';
import type { DeadDelivery } from '../alert-exhausted/alert-exhausted.usecase';
import { ScheduleRetry, type ExhaustedDeliveries, type ExhaustionAlerts, type RetrySchedule } from './schedule-retry.usecase';

const NOW = new Date('2026-11-22T10:00:00Z');
const clock = { now: () => NOW };
const policy = { schedule: [5_000, 30_000], jitter: 0.2 };

const [D1, D2, D3] = [1, 2, 3].map(deliveryIdNumber);
const request = (n: number, attempt: number): DeliveryRequest => aDeliveryRequest(n, { attempt, requestedAt: '2026-11-22T09:59:00Z' });
const outcome = (n: number, attempt: number, status: number): AttemptOutcome => anOutcome(request(n, attempt), attempt, status);

/** The schedule as a map, the way the database would hold it. */
class FakeSchedule implements RetrySchedule {
  readonly rows = new Map<DeliveryId, ScheduledRetry>();
  readonly calls: string[] = [];
  async upsert(retries: ScheduledRetry[]): Promise<void> {
    this.calls.push('upsert');
    for (const r of retries) this.rows.set(r.request.deliveryId, r);
  }
  readonly held: HeldRequest[] = [];
  async hold(held: HeldRequest[]): Promise<void> {
    this.calls.push('hold');
    this.held.push(...held);
  }
  async cancel(ids: DeliveryId[]): Promise<void> {
    this.calls.push('cancel');
    for (const id of ids) this.rows.delete(id);
  }
}

class RecordingExhausted implements ExhaustedDeliveries {
  readonly sent: DeliveryExhausted[] = [];
  constructor(private readonly failWith?: Error) {}
  async send(_topic: typeof DeliveriesExhaustedTopic, messages: OutgoingMessage<typeof DeliveriesExhaustedTopic>[]): Promise<void> {
    if (this.failWith && messages.length > 0) throw this.failWith;
    this.sent.push(...messages.map((m) => m.value as DeliveryExhausted));
  }
}

class RecordingAlerts implements ExhaustionAlerts {
  readonly raised: DeadDelivery[] = [];
  async raise(dead: DeadDelivery[]): Promise<void> {
    this.raised.push(...dead);
  }
}

const silent = pino({ level: 'silent' });
const setup = (exhausted = new RecordingExhausted()) => {
  const schedule = new FakeSchedule();
  const alerts = new RecordingAlerts();
  return { schedule, exhausted, alerts, useCase: new ScheduleRetry(schedule, exhausted, alerts, policy, clock, () => 0.5, silent) };
};

describe(ScheduleRetry.name, () => {
  it('schedules the next attempt of a failed one at the policy delay, as a retry request', async () => {
    const { schedule, useCase } = setup();
    await useCase.execute([{ outcome: outcome(1, 1, 500), traceHeaders: { traceparent: 't1' } }], []);
    const row = schedule.rows.get(D1 as DeliveryId);
    expect(row?.dueAt).toEqual(new Date(NOW.getTime() + 5_000));
    expect(row?.request).toMatchObject({ attempt: 2, reason: 'retry', requestedAt: '2026-11-22T10:00:05.000Z' });
    expect(row?.traceHeaders).toEqual({ traceparent: 't1' });
  });

  it('ends a first-try success told by its headers alone: no schedule row to drop, its ending for the failure run', async () => {
    const { schedule, exhausted, alerts, useCase } = setup();
    const endpointId = request(1, 1).endpointId;
    const endings = await useCase.execute(
      [],
      [],
      [
        { endpointId, endpointVersion: 3, attempt: 1, mode: 'live', eventType: 'invoice.paid' },
        { endpointId, endpointVersion: 3, attempt: 1, mode: 'test', eventType: 'invoice.paid' },
      ],
    );
    expect(endings).toEqual([
      { result: 'succeeded', request: { endpointId, endpointVersion: 3, mode: 'live', event: { type: 'invoice.paid' } }, gone: false },
      { result: 'succeeded', request: { endpointId, endpointVersion: 3, mode: 'test', event: { type: 'invoice.paid' } }, gone: false },
    ]);
    expect([...schedule.rows.keys()]).toEqual([]);
    expect(exhausted.sent).toEqual([]);
    expect(alerts.raised).toEqual([]);
  });

  it('drops the schedule row of a delivery that succeeded at a later attempt, not of one that succeeded at its first', async () => {
    const { schedule, useCase } = setup();
    await useCase.execute(
      [
        { outcome: outcome(1, 1, 500), traceHeaders: {} },
        { outcome: outcome(2, 1, 500), traceHeaders: {} },
      ],
      [],
    );
    expect([...schedule.rows.keys()].sort()).toEqual([D1, D2].sort());
    const cancelled: DeliveryId[][] = [];
    const cancel = schedule.cancel.bind(schedule);
    schedule.cancel = async (ids) => {
      cancelled.push(ids);
      await cancel(ids);
    };
    await useCase.execute(
      [
        { outcome: outcome(1, 2, 200), traceHeaders: {} },
        { outcome: outcome(3, 1, 200), traceHeaders: {} },
      ],
      [],
    );
    expect(cancelled).toEqual([[D1]]);
    expect([...schedule.rows.keys()]).toEqual([D2]);
  });

  it('keeps a replayed chain a replay in its retries (its start and who replayed it), with the whole schedule again', async () => {
    const { schedule, exhausted, useCase } = setup();
    const replay = { by: 'key_ops', at: '2026-11-22T09:58:00.000Z' };
    const replayed = (attempt: number) => anOutcome(aDeliveryRequest(1, { attempt, reason: 'replay', chainStart: 4, replay }), attempt, 500);
    await useCase.execute([{ outcome: replayed(4), traceHeaders: {} }], []);
    expect(schedule.rows.get(D1 as DeliveryId)?.request).toMatchObject({ attempt: 5, reason: 'retry', chainStart: 4, replay });
    expect(schedule.rows.get(D1 as DeliveryId)?.dueAt).toEqual(new Date(NOW.getTime() + 5_000));
    await useCase.execute([{ outcome: replayed(6), traceHeaders: {} }], []);
    expect(exhausted.sent).toEqual([expect.objectContaining({ deliveryId: D1, attempts: 6, reason: 'all 3 attempts failed' })]);
  });

  it("follows the endpoint's own schedule an outcome carries, beside one on the default, and ends it when that schedule runs out", async () => {
    const { schedule, exhausted, useCase } = setup();
    await useCase.execute(
      [
        { outcome: { ...outcome(1, 1, 500), retrySchedule: [1_000, 2_000] }, traceHeaders: {} },
        { outcome: outcome(2, 1, 500), traceHeaders: {} },
        { outcome: { ...outcome(3, 3, 500), retrySchedule: [1_000, 2_000] }, traceHeaders: {} },
      ],
      [],
    );
    expect(schedule.rows.get(D1 as DeliveryId)?.dueAt).toEqual(new Date(NOW.getTime() + 1_000));
    expect(schedule.rows.get(D2 as DeliveryId)?.dueAt).toEqual(new Date(NOW.getTime() + 5_000));
    expect(schedule.rows.has(D3 as DeliveryId)).toBe(false);
    expect(exhausted.sent).toEqual([expect.objectContaining({ deliveryId: D3, attempts: 3, reason: 'all 3 attempts failed' })]);
  });

  it('never retries a failed test send nor announces it as dead, beside a live delivery that is retried', async () => {
    const { schedule, exhausted, useCase } = setup();
    const test = anOutcome({ ...request(1, 1), mode: 'test' }, 1, 500);
    const gone = anOutcome({ ...request(2, 1), mode: 'test' }, 1, 410);
    await useCase.execute(
      [
        { outcome: test, traceHeaders: {} },
        { outcome: gone, traceHeaders: {} },
        { outcome: outcome(3, 1, 500), traceHeaders: {} },
      ],
      [],
    );
    expect([...schedule.rows.keys()]).toEqual([D3]);
    expect(exhausted.sent).toEqual([]);
  });

  it('cancels the pending retry of a delivery that succeeded', async () => {
    const { schedule, useCase } = setup();
    await useCase.execute([{ outcome: outcome(1, 1, 500), traceHeaders: {} }], []);
    await useCase.execute([{ outcome: outcome(1, 2, 200), traceHeaders: {} }], []);
    expect(schedule.rows.size).toBe(0);
  });

  it('marks a delivery dead after its last attempt and after 410 Gone, and announces it', async () => {
    const { schedule, exhausted, useCase } = setup();
    await useCase.execute(
      [
        { outcome: outcome(1, 3, 500), traceHeaders: {} },
        { outcome: outcome(2, 1, 410), traceHeaders: {} },
        { outcome: outcome(3, 1, 503), traceHeaders: {} },
      ],
      [],
    );
    expect(exhausted.sent.map((d) => [d.deliveryId, d.attempts, d.reason])).toEqual([
      [D1, 3, 'all 3 attempts failed'],
      [D2, 1, 'the endpoint answered 410 Gone'],
    ]);
    expect(exhausted.sent[0]).toMatchObject({ eventId: 'evt_1', eventType: 'invoice.paid', exhaustedAt: NOW.toISOString() });
    expect([...schedule.rows.keys()]).toEqual([D3]);
  });

  it('stores a deferred request as it is, with its own delay and the same attempt number', async () => {
    const { schedule, useCase } = setup();
    await useCase.execute([], [{ deferred: { request: request(1, 4), delayMs: 2_500, reason: 'endpoint queue full' }, traceHeaders: {} }]);
    expect(schedule.rows.get(D1 as DeliveryId)).toMatchObject({ request: { attempt: 4, reason: 'retry' }, dueAt: new Date(NOW.getTime() + 2_500) });
  });

  it('keeps the deferral count of a deferred request, and starts a retry of a deferred attempt from none', async () => {
    const { schedule, useCase } = setup();
    const deferredTwice = { ...request(1, 1), deferrals: 2 };
    await useCase.execute([], [{ deferred: { request: deferredTwice, delayMs: 8_000, reason: 'endpoint_backlog' }, traceHeaders: {} }]);
    expect(schedule.rows.get(D1 as DeliveryId)?.request.deferrals).toBe(2);
    await useCase.execute([{ outcome: anOutcome(deferredTwice, 1, 500), traceHeaders: {} }], []);
    const retry = schedule.rows.get(D1 as DeliveryId)?.request;
    expect(retry).toMatchObject({ attempt: 2, reason: 'retry' });
    expect(retry).not.toHaveProperty('deferrals');
  });

  it('writes the schedule before announcing dead deliveries, and fails when the announcement fails (the batch is redone)', async () => {
    const { schedule, useCase } = setup(new RecordingExhausted(new Error('broker down')));
    await expect(useCase.execute([{ outcome: outcome(1, 3, 500), traceHeaders: {} }], [])).rejects.toThrow('broker down');
    expect(schedule.calls).toEqual(['upsert', 'hold', 'cancel']);
  });

  it("holds a paused endpoint's request untimed, at the version seen paused, beside a deferral that keeps its delay", async () => {
    const { schedule, useCase } = setup();
    const paused = { ...request(1, 2), deferrals: 1 };
    await useCase.execute(
      [],
      [
        { deferred: { request: paused, delayMs: 0, reason: 'paused', heldAtVersion: 7 }, traceHeaders: { traceparent: 'p' } },
        { deferred: { request: request(2, 1), delayMs: 3_000, reason: 'endpoint_backlog' }, traceHeaders: {} },
      ],
    );
    expect(schedule.held).toEqual([{ request: paused, heldAtVersion: 7, traceHeaders: { traceparent: 'p' } }]);
    expect([...schedule.rows.keys()]).toEqual([D2]);
  });

  it('reports how each live delivery ended: succeeded, failed by the endpoint (exhausted or 410), or ended for another reason', async () => {
    const { useCase } = setup();
    const endings = await useCase.execute(
      [
        { outcome: outcome(1, 1, 200), traceHeaders: {} },
        { outcome: outcome(2, 3, 500), traceHeaders: {} },
        { outcome: outcome(3, 1, 410), traceHeaders: {} },
        { outcome: anOutcome(request(4, 1), 1, null, { failure: { kind: 'endpoint_disabled', message: 'the endpoint is disabled' } }), traceHeaders: {} },
        { outcome: outcome(5, 1, 500), traceHeaders: {} },
        { outcome: anOutcome({ ...request(6, 1), mode: 'test' }, 1, 410), traceHeaders: {} },
      ],
      [],
    );
    expect(endings.map((e) => [(e.request as { deliveryId?: string }).deliveryId, e.result, e.gone])).toEqual([
      [D1, 'succeeded', false],
      [D2, 'failed', false],
      [D3, 'failed', true],
      [deliveryIdNumber(4), 'ended', false],
    ]);
  });

  it('hands every dead delivery, with its outcome and trace, to the alerts before the batch ends, and nothing else', async () => {
    const { alerts, useCase } = setup();
    const last = outcome(1, 3, 500);
    await useCase.execute(
      [
        { outcome: last, traceHeaders: { traceparent: 't1' } },
        { outcome: outcome(2, 1, 500), traceHeaders: {} },
        { outcome: outcome(3, 1, 200), traceHeaders: {} },
        { outcome: anOutcome({ ...request(4, 1), mode: 'test' }, 1, 410), traceHeaders: {} },
      ],
      [],
    );
    expect(alerts.raised).toEqual([
      { outcome: last, exhausted: expect.objectContaining({ deliveryId: D1, reason: 'all 3 attempts failed' }), traceHeaders: { traceparent: 't1' } },
    ]);
  });
});
