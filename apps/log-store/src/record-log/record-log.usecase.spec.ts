import type { AttemptOutcome, DeliveryExhausted, DeliveryRequest, EventEnvelope } from '@hookline/contracts';
import { context } from '@hookline/telemetry';
import { RecordLog, type DeliveryLog } from './record-log.usecase';

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
  async insertDeliveries(requests: DeliveryRequest[]) {
    this.write('deliveries', requests.length);
  }
  async recordAttempts(outcomes: AttemptOutcome[]) {
    this.write('attempts', outcomes.length);
  }
  async markDead(exhausted: DeliveryExhausted[]) {
    this.write('dead', exhausted.length);
  }
}

const outcome = { request: { deliveryId: 'd', attempt: 1 } } as AttemptOutcome;

describe(RecordLog.name, () => {
  it('writes events, then deliveries, then attempts, then dead deliveries', async () => {
    const log = new RecordingLog();
    await new RecordLog(log).execute({
      events: [{} as EventEnvelope],
      requests: [{} as DeliveryRequest, {} as DeliveryRequest],
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
});
