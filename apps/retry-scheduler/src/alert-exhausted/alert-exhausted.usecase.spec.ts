import {
  DeliveryExhaustedEventDataSchema,
  EventsAcceptedTopic,
  type AttemptOutcome,
  type DeliveryId,
  type EndpointId,
  type EventEnvelope,
} from '@hookline/contracts';
import type { OutgoingMessage } from '@hookline/kafka';
import { aDeliveryRequest, anEvent, anOutcome, FIXTURE_ENDPOINT_ID } from '@hookline/testing';
import pino from 'pino';
import type { AlertWindow } from './alert-window';
import {
  AlertExhausted,
  exhaustedEventId,
  type AlertWindows,
  type DeadDelivery,
  type OperationalEvents,
  type PendingAlert,
  type SubjectEndpoints,
  type WindowChange,
} from './alert-exhausted.usecase';

const INTERVAL = 5 * 60_000;
const T0 = new Date('2026-11-22T10:00:00Z');
const A = FIXTURE_ENDPOINT_ID as EndpointId;
const B = '7e0a6c1b-3f5d-4c8e-9b2a-0d4f6e8a1c33' as EndpointId;

/** The windows as the database holds them, one transaction at a time. */
class FakeWindows implements AlertWindows {
  readonly rows = new Map<EndpointId, AlertWindow & { alert: PendingAlert | null; published: boolean }>();
  readonly backlog = new Map<EndpointId, Set<DeliveryId>>();
  async unpublished(ids: EndpointId[]): Promise<PendingAlert[]> {
    return ids.flatMap((id) => {
      const row = this.rows.get(id);
      return row?.alert && !row.published ? [row.alert] : [];
    });
  }
  async update(
    ids: EndpointId[],
    deliveryIds: DeliveryId[],
    change: (id: EndpointId, window: AlertWindow, inBacklog: ReadonlySet<DeliveryId>) => WindowChange,
  ): Promise<PendingAlert[]> {
    const alerts: PendingAlert[] = [];
    for (const id of ids) {
      const row = this.rows.get(id) ?? { startedAt: null, subjectDeliveryId: null, backlog: 0, alert: null, published: true };
      const backlog = this.backlog.get(id) ?? new Set<DeliveryId>();
      const { announce, backlogAdds } = change(id, { ...row, backlog: backlog.size }, new Set(deliveryIds.filter((d) => backlog.has(d))));
      if (announce) {
        backlog.clear();
        alerts.push(announce.alert);
        this.rows.set(id, {
          startedAt: announce.startedAt,
          subjectDeliveryId: announce.subjectDeliveryId,
          backlog: 0,
          alert: announce.alert,
          published: false,
        });
      } else this.rows.set(id, row);
      for (const d of backlogAdds) backlog.add(d);
      this.backlog.set(id, backlog);
    }
    return alerts;
  }
  async markPublished(alerts: PendingAlert[]): Promise<void> {
    for (const a of alerts) {
      const row = this.rows.get(a.endpointId);
      if (row?.alert?.event.id === a.event.id) row.published = true;
    }
  }
}

class RecordingEvents implements OperationalEvents {
  readonly sent: { event: EventEnvelope; headers?: Record<string, string> }[] = [];
  failures = 0;
  async send(topic: typeof EventsAcceptedTopic, messages: OutgoingMessage<typeof EventsAcceptedTopic>[]): Promise<void> {
    expect(topic).toBe(EventsAcceptedTopic);
    if (this.failures > 0 && messages.length > 0) {
      this.failures--;
      throw new Error('broker down');
    }
    this.sent.push(...messages.map((m) => ({ event: m.value as EventEnvelope, headers: m.headers })));
  }
}

const directory: SubjectEndpoints = {
  async describe(id) {
    if (id === A) return { id, url: 'https://a.example.com/hooks', description: 'billing' };
    if (id === B) return { id, url: 'https://b.example.com/hooks', description: '' };
    return undefined;
  },
};

let n = 0;
const dead = (endpointId: EndpointId, overrides: { type?: string; status?: number; mode?: 'test'; kind?: string } = {}): DeadDelivery => {
  n++;
  const request = aDeliveryRequest(n, {
    endpointId,
    attempt: 3,
    ...(overrides.mode ? { mode: overrides.mode } : {}),
    event: anEvent({ id: `evt_${n}`, type: overrides.type ?? 'invoice.paid' }),
  });
  let outcome: AttemptOutcome = anOutcome(request, 3, overrides.status ?? 500);
  if (overrides.kind) outcome = { ...anOutcome(request, 3, null), failure: { kind: overrides.kind, message: overrides.kind } } as AttemptOutcome;
  return {
    outcome,
    exhausted: {
      deliveryId: request.deliveryId,
      tenantId: request.tenantId,
      endpointId,
      eventId: request.event.id,
      eventType: request.event.type,
      eventReceivedAt: request.event.receivedAt,
      attempts: 3,
      reason: 'all 3 attempts failed',
      exhaustedAt: T0.toISOString(),
    },
    traceHeaders: { traceparent: `t-${n}` },
  };
};

const setup = () => {
  const clock = { t: T0, now: () => clock.t };
  const windows = new FakeWindows();
  const events = new RecordingEvents();
  const useCase = new AlertExhausted(windows, directory, events, clock, INTERVAL, pino({ level: 'silent' }));
  const advance = (ms: number) => void (clock.t = new Date(clock.t.getTime() + ms));
  return { windows, events, useCase, advance };
};

describe(AlertExhausted.name, () => {
  it('announces the first delivery given up as a delivery.exhausted event in its tenant, naming the endpoint, with a deterministic id', async () => {
    const { events, useCase } = setup();
    const first = dead(A);
    await useCase.execute([first]);
    expect(events.sent).toHaveLength(1);
    const [{ event, headers }] = events.sent;
    expect(event).toMatchObject({ id: exhaustedEventId(A, T0), tenantId: 'acme', type: 'delivery.exhausted', occurredAt: T0.toISOString() });
    expect(DeliveryExhaustedEventDataSchema.parse(event.data)).toEqual({
      endpoint: { id: A, url: 'https://a.example.com/hooks', description: 'billing' },
      delivery: {
        id: first.exhausted.deliveryId,
        eventId: first.exhausted.eventId,
        eventType: 'invoice.paid',
        attempts: 3,
        reason: 'all 3 attempts failed',
        exhaustedAt: T0.toISOString(),
      },
      alsoExhausted: 0,
    });
    // It continues the trace of the attempt that gave up.
    expect(headers).toEqual(first.traceHeaders);
  });

  it('emits at most one per endpoint per interval, the next one counting those given up in between', async () => {
    const { events, useCase, advance } = setup();
    await useCase.execute([dead(A), dead(A)]);
    advance(60_000);
    await useCase.execute([dead(A)]);
    advance(INTERVAL - 60_000 - 1);
    await useCase.execute([dead(A)]);
    expect(events.sent).toHaveLength(1);
    advance(1);
    const next = dead(A);
    await useCase.execute([next, dead(A)]);
    expect(events.sent.map((s) => [s.event.id, (s.event.data as { alsoExhausted: number }).alsoExhausted])).toEqual([
      [exhaustedEventId(A, T0), 0],
      [exhaustedEventId(A, new Date(T0.getTime() + INTERVAL)), 3],
    ]);
    expect((events.sent[1].event.data as { delivery: { id: string } }).delivery.id).toBe(next.exhausted.deliveryId);
  });

  it('keeps one window per endpoint', async () => {
    const { events, useCase } = setup();
    await useCase.execute([dead(A), dead(B), dead(A)]);
    expect(events.sent.map((s) => (s.event.data as { endpoint: { id: string } }).endpoint.id).sort()).toEqual([A, B].sort());
  });

  it('never announces a delivery of an operational event (no loops), a test send, nor one ended because its endpoint was deleted or disabled', async () => {
    const { events, windows, useCase } = setup();
    await useCase.execute([
      dead(A, { type: 'delivery.exhausted' }),
      dead(A, { type: 'endpoint.disabled' }),
      dead(A, { mode: 'test', status: 410 }),
      dead(A, { kind: 'endpoint_missing' }),
      dead(A, { kind: 'endpoint_disabled' }),
    ]);
    expect(events.sent).toEqual([]);
    // Not even counted for a later event.
    expect(windows.rows.size).toBe(0);
  });

  it('announces a delivery ended by 410 Gone', async () => {
    const { events, useCase } = setup();
    await useCase.execute([dead(A, { status: 410 })]);
    expect(events.sent).toHaveLength(1);
  });

  it('says nothing of an endpoint deleted since (no longer in the endpoints topic)', async () => {
    const { events, useCase } = setup();
    await useCase.execute([dead('0f0f0f0f-0000-4000-8000-000000000000' as EndpointId)]);
    expect(events.sent).toEqual([]);
  });

  it('re-sends the same event, not a new one, when the broker failed after the window was stored, and counts nothing twice', async () => {
    const { events, useCase, advance } = setup();
    const batch = [dead(A), dead(A), dead(A)];
    events.failures = 1;
    await expect(useCase.execute(batch)).rejects.toThrow('broker down');
    advance(2_000);
    await useCase.execute(batch); // the consumer redoes the batch
    await useCase.execute(batch); // and once more, as after a crash before the commit
    expect(events.sent.map((s) => s.event.id)).toEqual([exhaustedEventId(A, T0)]);
    advance(INTERVAL);
    await useCase.execute([dead(A)]);
    expect((events.sent[1].event.data as { alsoExhausted: number }).alsoExhausted).toBe(2);
  });

  it('re-sends an event stored but never confirmed before deciding anything new (a crash between the two)', async () => {
    const { events, windows, useCase } = setup();
    await useCase.execute([dead(A)]);
    const row = windows.rows.get(A)!;
    row.published = false;
    await useCase.execute([dead(A)]);
    expect(events.sent.map((s) => s.event.id)).toEqual([exhaustedEventId(A, T0), exhaustedEventId(A, T0)]);
    expect(row.published).toBe(true);
  });
});
