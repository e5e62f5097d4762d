import type { AttemptOutcome, DeliveryExhausted, DeliveryRequest, EventEnvelope } from '@hookline/contracts';
import { context } from '@hookline/telemetry';
import { aDeliveryRequest } from '@hookline/testing';
import { isFirstRequest, RecordLog, type DeliveryLog } from './record-log.usecase';

/** The log's writes in the order they were made. */
class RecordingLog implements DeliveryLog {
  readonly writes: string[] = [];
  constructor(private readonly failOn?: string) {}
  private write(kind: string, count: number) {
    if (kind === this.failOn) throw new Error(`${kind} failed`);
    this.writes.push(`${kind}:${count}`);
  }
  async insertEvents(events: EventEnvelope[]) {
    this.write('events', events.length);
  }
  readonly deliveries: DeliveryRequest[] = [];
  async insertDeliveries(requests: DeliveryRequest[]) {
    this.write('deliveries', requests.length);
    this.deliveries.push(...requests);
  }
  async recordAttempts(outcomes: AttemptOutcome[]) {
    this.write('attempts', outcomes.length);
  }
  async markDead(exhausted: DeliveryExhausted[]) {
    this.write('dead', exhausted.length);
  }
}

const outcome = { deliveryId: 'd', attempt: 1 } as AttemptOutcome;

describe(RecordLog.name, () => {
  it('writes events, then deliveries, then attempts, then dead deliveries', async () => {
    const log = new RecordingLog();
    await new RecordLog(log).execute({
      events: [{} as EventEnvelope],
      requests: [aDeliveryRequest(1), aDeliveryRequest(2)],
      attempts: [{ outcome, context: context.active() }],
      exhausted: [],
    });
    expect(log.writes).toEqual(['events:1', 'deliveries:2', 'attempts:1', 'dead:0']);
  });

  it('fails the whole batch when a write fails, so its offset is not committed', async () => {
    const log = new RecordingLog('deliveries');
    await expect(new RecordLog(log).execute({ events: [], requests: [], attempts: [{ outcome, context: context.active() }], exhausted: [] })).rejects.toThrow(
      'deliveries failed',
    );
    expect(log.writes).toEqual(['events:0']);
  });

  it('writes a delivery row from its first request only: a retry, a replay, a deferred or a released request finds it written', async () => {
    const log = new RecordingLog();
    const first = aDeliveryRequest(1);
    const replay = { by: 'key_1', at: '2026-11-22T11:00:00Z' };
    await new RecordLog(log).execute({
      events: [],
      requests: [
        first,
        aDeliveryRequest(2, { attempt: 2, reason: 'retry' }),
        aDeliveryRequest(3, { attempt: 5, reason: 'replay', chainStart: 5, replay }),
        aDeliveryRequest(4, { deferrals: 2 }),
        aDeliveryRequest(5, { release: { page: 'p1', order: 3 } }),
      ],
      attempts: [],
      exhausted: [],
    });
    expect(log.deliveries).toEqual([first]);
    expect([aDeliveryRequest(6), aDeliveryRequest(6, { deferrals: 0 })].map(isFirstRequest)).toEqual([true, true]);
  });
});
