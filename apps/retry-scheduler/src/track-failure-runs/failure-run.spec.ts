import type { EndpointId } from '@hookline/contracts';
import { aDeliveryRequest, FIXTURE_ENDPOINT_ID } from '@hookline/testing';
import type { EndpointStateFacts } from '../endpoints/endpoint.directory';
import type { DeliveryEnding } from '../schedule-retry/schedule-retry.usecase';
import { advanceRuns, type FailureRun } from './failure-run';

const AT = new Date('2026-11-22T10:00:00Z');
const E = FIXTURE_ENDPOINT_ID as EndpointId;
const facts = (overrides: Partial<EndpointStateFacts> = {}): EndpointStateFacts => ({
  state: 'enabled',
  stateVersion: 1,
  disableAfterFailures: 3,
  version: 4,
  ...overrides,
});
const ending = (n: number, result: DeliveryEnding['result'], extra: { gone?: boolean; endpointVersion?: number } = {}): DeliveryEnding => ({
  request: aDeliveryRequest(n, { endpointVersion: extra.endpointVersion ?? 4 }),
  result,
  gone: extra.gone ?? false,
});
const fold = (endings: DeliveryEnding[], endpoint: EndpointStateFacts | undefined = facts(), current = new Map<string, FailureRun>()) =>
  advanceRuns(current, endings, () => endpoint, AT);

describe(advanceRuns.name, () => {
  it('asks once for a disable when the run reaches the threshold, naming the run and the version of the deciding delivery', () => {
    const { changed, disables } = fold([ending(1, 'failed'), ending(2, 'failed'), ending(3, 'failed'), ending(4, 'failed')]);
    expect(disables).toEqual([
      { endpointId: E, tenantId: 'acme', cause: 'failure_threshold', reason: '3 deliveries in a row failed', endpointVersion: 4, at: AT.toISOString() },
    ]);
    expect(changed).toEqual([expect.objectContaining({ failedDeliveries: expect.any(Array), disableRequested: true })]);
    expect(changed[0].failedDeliveries).toHaveLength(4);
  });

  it('starts over after a success: two failures, a success, two failures ask for nothing', () => {
    const { changed, disables } = fold([ending(1, 'failed'), ending(2, 'failed'), ending(3, 'succeeded'), ending(4, 'failed'), ending(5, 'failed')]);
    expect(disables).toEqual([]);
    expect(changed[0].failedDeliveries).toEqual([aDeliveryRequest(4).deliveryId, aDeliveryRequest(5).deliveryId]);
  });

  it('keeps no run for an endpoint whose deliveries only succeed: nothing to write', () => {
    expect(fold([ending(1, 'succeeded'), ending(2, 'succeeded')])).toEqual({ changed: [], disables: [] });
  });

  it('empties a run on a success told by its headers alone (no delivery id, no tenant)', () => {
    const failing = fold([ending(1, 'failed'), ending(2, 'failed')]).changed[0];
    const fromHeaders: DeliveryEnding = {
      result: 'succeeded',
      request: { endpointId: E, endpointVersion: 4, mode: 'live', event: { type: 'invoice.paid' } },
      gone: false,
    };
    expect(fold([fromHeaders], facts(), new Map([[E, failing]])).changed).toEqual([{ ...failing, failedDeliveries: [], disableRequested: false }]);
  });

  it('counts a delivery once however often its ending is seen (a batch redone after a crash)', () => {
    const first = fold([ending(1, 'failed'), ending(2, 'failed')]);
    const again = fold([ending(2, 'failed'), ending(1, 'failed')], facts(), new Map([[E, first.changed[0]]]));
    expect(again.disables).toEqual([]);
    expect(again.changed[0].failedDeliveries).toHaveLength(2);
  });

  it('asks at once on 410 Gone, with the cause gone', () => {
    const { disables } = fold([ending(1, 'failed', { gone: true })]);
    expect(disables).toEqual([expect.objectContaining({ cause: 'gone', reason: 'the endpoint answered 410 Gone' })]);
  });

  it('ignores deliveries ended by a deleted or disabled endpoint, and endpoints it does not know', () => {
    expect(fold([ending(1, 'ended'), ending(2, 'ended'), ending(3, 'ended')]).changed).toEqual([]);
    expect(advanceRuns(new Map(), [ending(1, 'failed', { gone: true })], () => undefined, AT)).toEqual({ changed: [], disables: [] });
  });

  it('starts a fresh run when the endpoint was re-enabled, leaving out deliveries routed before', () => {
    const before = fold([ending(1, 'failed'), ending(2, 'failed'), ending(3, 'failed')]);
    expect(before.disables).toHaveLength(1);
    const reEnabled = facts({ stateVersion: 6, version: 6 });
    const after = fold(
      [ending(4, 'failed', { endpointVersion: 5 }), ending(5, 'failed', { endpointVersion: 6 }), ending(6, 'failed', { endpointVersion: 6 })],
      reEnabled,
      new Map([[E, before.changed[0]]]),
    );
    expect(after.disables).toEqual([]);
    expect(after.changed[0]).toMatchObject({ stateVersion: 6, disableRequested: false });
    expect(after.changed[0].failedDeliveries).toHaveLength(2);
  });
});
