import { EndpointsDisableRequestedTopic, type EndpointDisableRequest, type EndpointId } from '@hookline/contracts';
import type { OutgoingMessage } from '@hookline/kafka';
import { aDeliveryRequest, anEvent } from '@hookline/testing';
import pino from 'pino';
import type { DeliveryEnding } from '../schedule-retry/schedule-retry.usecase';
import type { FailureRun } from './failure-run';
import { TrackFailureRuns, type DisableRequests, type FailureRuns } from './track-failure-runs.usecase';

const NOW = new Date('2026-11-22T10:00:00Z');

/** Runs in a map, written only when the work resolved (as the transaction commits). */
class Runs implements FailureRuns {
  readonly rows = new Map<string, FailureRun>();
  updates = 0;
  async update(_ids: EndpointId[], work: (current: Map<string, FailureRun>) => Promise<FailureRun[]>): Promise<void> {
    this.updates++;
    const changed = await work(new Map(this.rows));
    for (const run of changed) this.rows.set(run.endpointId, run);
  }
  async underWay(ids: EndpointId[]): Promise<EndpointId[]> {
    return ids.filter((id) => {
      const run = this.rows.get(id);
      return run !== undefined && (run.failedDeliveries.length > 0 || run.disableRequested);
    });
  }
}

class Requests implements DisableRequests {
  readonly sent: EndpointDisableRequest[] = [];
  constructor(private readonly failWith?: Error) {}
  async send(_t: typeof EndpointsDisableRequestedTopic, messages: OutgoingMessage<typeof EndpointsDisableRequestedTopic>[]): Promise<void> {
    if (this.failWith && messages.length > 0) throw this.failWith;
    this.sent.push(...messages.map((m) => m.value as EndpointDisableRequest));
  }
}

const endpoints = { get: () => ({ state: 'enabled' as const, stateVersion: 1, disableAfterFailures: 2, version: 1 }) };
const gone = (n: number, overrides: Record<string, unknown> = {}): DeliveryEnding => ({
  request: aDeliveryRequest(n, overrides),
  result: 'failed',
  gone: true,
});
const setup = (requests = new Requests()) => {
  const runs = new Runs();
  return { runs, requests, useCase: new TrackFailureRuns(runs, endpoints, requests, { now: () => NOW }, pino({ level: 'silent' })) };
};

describe(TrackFailureRuns.name, () => {
  it('asks for a disable on a live 410 and keeps the run', async () => {
    const { runs, requests, useCase } = setup();
    await useCase.execute([gone(1)]);
    expect(requests.sent.map((r) => [r.cause, r.at])).toEqual([['gone', NOW.toISOString()]]);
    expect([...runs.rows.values()].map((r) => r.failedDeliveries)).toEqual([[aDeliveryRequest(1).deliveryId]]);
  });

  it('never counts a test send nor a delivery of an operational event (no loops)', async () => {
    const { runs, requests, useCase } = setup();
    await useCase.execute([
      gone(1, { mode: 'test' }),
      gone(2, {
        event: anEvent({ id: 'hookline_endpoint.disabled_x_2', type: 'endpoint.disabled', data: { endpoint: { id: 'x', url: '', description: '' } } }),
      }),
    ]);
    expect(requests.sent).toEqual([]);
    expect(runs.rows.size).toBe(0);
  });

  it('opens no update for successes alone while no run is under way, and empties a run under way on a success', async () => {
    const { runs, useCase } = setup();
    const success = (n: number): DeliveryEnding => ({ request: aDeliveryRequest(n), result: 'succeeded', gone: false });
    await useCase.execute([success(1), success(2)]);
    expect(runs.updates).toBe(0);
    await useCase.execute([{ request: aDeliveryRequest(3), result: 'failed', gone: false }]);
    expect([...runs.rows.values()].map((r) => r.failedDeliveries)).toEqual([[aDeliveryRequest(3).deliveryId]]);
    await useCase.execute([success(4)]);
    expect(runs.updates).toBe(2);
    expect([...runs.rows.values()].map((r) => r.failedDeliveries)).toEqual([[]]);
    await useCase.execute([success(5)]);
    expect(runs.updates).toBe(2);
  });

  it('writes no run when the disable request cannot be produced, so the redone batch asks again', async () => {
    const { runs, useCase } = setup(new Requests(new Error('broker down')));
    await expect(useCase.execute([gone(1)])).rejects.toThrow('broker down');
    expect(runs.rows.size).toBe(0);
  });
});
