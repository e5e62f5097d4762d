import { DeliveriesRequestedTopic, type DeliveryRequest } from '@hookline/contracts';
import type { OutgoingMessage } from '@hookline/kafka';
import { aDeliveryRequest } from '@hookline/testing';
import type { ScheduledRetry } from '../schedule-retry/retry-schedule.repository';
import { DUE_BATCH, IssueDueRetries, type DeliveryRequests, type DueRetries } from './issue-due-retries.usecase';

const NOW = new Date('2026-11-22T10:00:00Z');
const due = (n: number): ScheduledRetry => ({
  request: aDeliveryRequest(n, { attempt: 2 }),
  dueAt: new Date('2026-11-22T09:59:30Z'),
  traceHeaders: { traceparent: `t${n}` },
});

/** Due rows that stay in place unless the issue callback succeeded, as in the database's transaction. */
class FakeDueRetries implements DueRetries {
  readonly limits: number[] = [];
  constructor(public rows: ScheduledRetry[]) {}
  async issueDue(limit: number, issue: (due: ScheduledRetry[]) => Promise<void>): Promise<number> {
    this.limits.push(limit);
    const taken = this.rows.slice(0, limit);
    if (taken.length === 0) return 0;
    await issue(taken);
    this.rows = this.rows.slice(taken.length);
    return taken.length;
  }
}

class RecordingRequests implements DeliveryRequests {
  readonly sent: OutgoingMessage<typeof DeliveriesRequestedTopic>[] = [];
  constructor(private readonly failWith?: Error) {}
  async send(_topic: typeof DeliveriesRequestedTopic, messages: OutgoingMessage<typeof DeliveriesRequestedTopic>[]): Promise<void> {
    if (this.failWith) throw this.failWith;
    this.sent.push(...messages);
  }
}

describe(IssueDueRetries.name, () => {
  it('re-issues due retries as delivery requests stamped now, with their trace headers, marked re-issued', async () => {
    const schedule = new FakeDueRetries([due(1), due(2)]);
    const requests = new RecordingRequests();
    expect(await new IssueDueRetries(schedule, requests, { now: () => NOW }).execute()).toBe(2);
    expect(requests.sent.map((m) => [(m.value as DeliveryRequest).event.id, (m.value as DeliveryRequest).requestedAt, m.headers])).toEqual([
      ['evt_1', NOW.toISOString(), { traceparent: 't1', 'hookline-reissued': 'true' }],
      ['evt_2', NOW.toISOString(), { traceparent: 't2', 'hookline-reissued': 'true' }],
    ]);
    expect(schedule.rows).toEqual([]);
  });

  it('takes at most a batch per run', async () => {
    const schedule = new FakeDueRetries(Array.from({ length: DUE_BATCH + 3 }, (_, i) => due(i)));
    const useCase = new IssueDueRetries(schedule, new RecordingRequests(), { now: () => NOW });
    expect(await useCase.execute()).toBe(DUE_BATCH);
    expect(await useCase.execute()).toBe(3);
    expect(schedule.limits).toEqual([DUE_BATCH, DUE_BATCH]);
  });

  it('leaves the rows in place when the requests cannot be produced', async () => {
    const schedule = new FakeDueRetries([due(1)]);
    await expect(new IssueDueRetries(schedule, new RecordingRequests(new Error('broker down')), { now: () => NOW }).execute()).rejects.toThrow('broker down');
    expect(schedule.rows).toHaveLength(1);
  });
});
