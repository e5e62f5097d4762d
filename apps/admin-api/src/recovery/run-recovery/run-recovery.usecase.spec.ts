import {
  DeliveriesRequestedTopic,
  type DeliveryId,
  type DeliveryRequest,
  type EndpointId,
  type EventEnvelope,
  type EventId,
  type TenantId,
} from '@hookline/contracts';
import type { OutgoingMessage } from '@hookline/kafka';
import pino from 'pino';
import type { DeliveryRequests, ReplayableDelivery, ReplayTarget } from '../../replay/replay.ports';
import type { PendingPage, RecoveryJob, RecoveryLeases, RecoveryLog, RecoverySelection } from '../recovery.ports';
import { RunRecovery } from './run-recovery.usecase';

const TENANT = 'acme' as TenantId;
const ENDPOINT = '5b7c7a0e-8a3c-4d0e-9a53-1f6f2a4e9c11' as EndpointId;
const JOB = '7d1c2b3a-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
const deliveryId = (n: number) => `0d2f4c7e-1111-4222-8333-${String(n).padStart(12, '0')}` as DeliveryId;
const T0 = Date.parse('2026-11-22T10:00:00.000Z');

/** The log: `n` dead deliveries created one second apart, each with two attempts so far. */
class FakeLog implements RecoveryLog {
  readonly rows: ReplayableDelivery[];
  constructor(n: number) {
    this.rows = Array.from({ length: n }, (_, i) => ({
      id: deliveryId(i + 1),
      tenantId: TENANT,
      endpointId: ENDPOINT,
      eventId: `evt_${i + 1}`,
      status: 'dead',
      attemptCount: 2,
      mode: 'live' as const,
      createdAt: new Date(T0 + i * 1000),
    }));
  }
  async findDelivery(): Promise<ReplayableDelivery | null> {
    return null;
  }
  async findEvents(_tenant: TenantId, ids: string[]): Promise<Map<string, EventEnvelope>> {
    const at = new Date(T0).toISOString();
    return new Map(ids.map((id) => [id, { id: id as EventId, tenantId: TENANT, type: 'invoice.paid', data: { id }, occurredAt: at, receivedAt: at }]));
  }
  async count(): Promise<number> {
    return this.rows.length;
  }
  async page(s: RecoverySelection, after: { createdAt: Date; id: DeliveryId } | null, limit: number): Promise<ReplayableDelivery[]> {
    return this.rows
      .filter(
        (r) => s.statuses.includes(r.status as never) && (!after || r.createdAt > after.createdAt || (+r.createdAt === +after.createdAt && r.id > after.id)),
      )
      .slice(0, limit);
  }
  async deliveries(_tenant: TenantId, ids: DeliveryId[]): Promise<ReplayableDelivery[]> {
    return this.rows.filter((r) => ids.includes(r.id));
  }
}

/** One job, leased the way the repository does it: writes fail once the job is cancelled. */
class FakeLeases implements RecoveryLeases {
  job: RecoveryJob = {
    id: JOB,
    tenantId: TENANT,
    endpointId: ENDPOINT,
    since: new Date(T0),
    until: new Date(T0 + 3_600_000),
    statuses: ['dead'],
    asOf: new Date(T0 + 86_400_000),
    state: 'queued',
    total: 0,
    done: 0,
    failed: 0,
    error: null,
    createdBy: 'key_ops',
    createdAt: new Date(T0),
    updatedAt: new Date(T0),
    cursor: null,
    pendingPage: null,
  };
  /** Cancels the job right after the page is held (before it is published). */
  cancelOnHold = false;
  async claim(): Promise<RecoveryJob | null> {
    if (this.job.state !== 'queued' && this.job.state !== 'running') return null;
    this.job.state = 'running';
    return structuredClone(this.job);
  }
  async holdPage(_id: string, _owner: string, _lease: number, page: PendingPage): Promise<boolean> {
    if (this.job.state !== 'running') return false;
    this.job.pendingPage = page;
    if (this.cancelOnHold) this.job.state = 'cancelled';
    return true;
  }
  async advance(_id: string, _owner: string, _lease: number, step: { done: number; failed: number; last: PendingPage['last'] }): Promise<boolean> {
    if (this.job.state !== 'running') return false;
    this.job.done += step.done;
    this.job.failed += step.failed;
    this.job.cursor = { createdAt: new Date(step.last.createdAt), id: step.last.id };
    this.job.pendingPage = null;
    return true;
  }
  async finish(_id: string, _owner: string, state: 'done' | 'failed', error?: string): Promise<boolean> {
    this.job.state = state;
    this.job.error = error ?? null;
    return true;
  }
}

class RecordingRequests implements DeliveryRequests {
  readonly sent: DeliveryRequest[] = [];
  failNext = false;
  async send(_topic: typeof DeliveriesRequestedTopic, messages: OutgoingMessage<typeof DeliveriesRequestedTopic>[]): Promise<void> {
    if (this.failNext) {
      this.failNext = false;
      throw new Error('broker down');
    }
    this.sent.push(...messages.map((m) => m.value as DeliveryRequest));
  }
}

function setup(deliveries: number, rate: number, endpoint: ReplayTarget | null = { id: ENDPOINT, version: 7, enabled: true }) {
  const log = new FakeLog(deliveries);
  const leases = new FakeLeases();
  const requests = new RecordingRequests();
  let now = T0 + 86_400_000;
  const waits: number[] = [];
  const clock = { now: () => new Date(now) };
  const sleep = async (ms: number) => {
    waits.push(ms);
    now += ms;
  };
  const run = new RunRecovery(
    leases,
    log,
    { findLive: async () => endpoint },
    requests,
    clock,
    sleep,
    { owner: 'me', leaseMs: 30_000, rateFor: () => rate },
    pino({ level: 'silent' }),
  );
  const drain = async () => {
    for (let i = 0; i < 1000 && (await run.execute()).more; i++);
  };
  return { log, leases, requests, waits, run, drain };
}

describe(RunRecovery.name, () => {
  it('resends every matching delivery once, in creation order, as replays of the job, paged at the rate, then is done', async () => {
    const { leases, requests, waits, drain } = setup(25, 10);
    await drain();
    expect(requests.sent.map((r) => r.deliveryId)).toEqual(Array.from({ length: 25 }, (_, i) => deliveryId(i + 1)));
    expect(requests.sent[0]).toMatchObject({
      attempt: 3,
      chainStart: 3,
      reason: 'replay',
      endpointVersion: 7,
      replay: { by: 'key_ops', jobId: JOB },
      event: { id: 'evt_1', data: { id: 'evt_1' } },
    });
    // Pages of 10 at 10/s: a second per full page, half a second for the last five.
    expect(waits).toEqual([1000, 1000, 500]);
    expect(leases.job).toMatchObject({ state: 'done', done: 25, failed: 0, pendingPage: null, cursor: { id: deliveryId(25) } });
  });

  it('resends only deliveries with the selected statuses', async () => {
    const { log, requests, drain } = setup(6, 100);
    log.rows[1].status = 'succeeded';
    log.rows[4].status = 'failing';
    await drain();
    expect(requests.sent.map((r) => r.deliveryId)).toEqual([1, 3, 4, 6].map(deliveryId));
  });

  it('republishes the same requests (same delivery ids and attempt numbers) when a page is redone after a failed publish', async () => {
    const { log, leases, requests, run, drain } = setup(3, 100);
    requests.failNext = true;
    await expect(run.execute()).rejects.toThrow('broker down');
    expect(leases.job.pendingPage?.items).toEqual([1, 2, 3].map((n) => ({ deliveryId: deliveryId(n), attempt: 3 })));
    // Meanwhile the log moved on (as if the first publish had reached the dispatcher after all).
    for (const row of log.rows) row.attemptCount = 3;
    await drain();
    expect(requests.sent.map((r) => [r.deliveryId, r.attempt])).toEqual([1, 2, 3].map((n) => [deliveryId(n), 3]));
    expect(leases.job).toMatchObject({ state: 'done', done: 3 });
  });

  it('stops at a cancel: the job stays cancelled and its counters do not move', async () => {
    const { leases, requests, drain } = setup(30, 10);
    leases.cancelOnHold = true;
    await drain();
    expect(leases.job).toMatchObject({ state: 'cancelled', done: 0 });
    expect(requests.sent).toHaveLength(10); // the page already being handed to Kafka
  });

  it('fails the job when the endpoint was deleted, sending nothing', async () => {
    const { leases, requests, drain } = setup(3, 100, null);
    await drain();
    expect(leases.job).toMatchObject({ state: 'failed', error: `endpoint ${ENDPOINT} was deleted` });
    expect(requests.sent).toEqual([]);
  });

  it('has nothing to do without a job', async () => {
    const { leases, run } = setup(0, 100);
    leases.job.state = 'done';
    expect(await run.execute()).toEqual({ more: false });
  });
});
