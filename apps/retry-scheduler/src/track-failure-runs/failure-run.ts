import type { EndpointDisableRequest, EndpointId } from '@hookline/contracts';
import type { EndpointStateFacts } from '../endpoints/endpoint.directory';
import type { DeliveryEnding } from '../schedule-retry/schedule-retry.usecase';

/** An endpoint's run of consecutive failed deliveries since its last success, or since it was last (re-)enabled. */
export interface FailureRun {
  endpointId: EndpointId;
  tenantId: string;
  /** Ids, not a count: a batch redone after a crash adds none twice. */
  failedDeliveries: string[];
  /** The endpoint's state version the run belongs to; a newer one (a re-enable) starts a new run. */
  stateVersion: number;
  /** A disable was asked for during this run; it is not asked again until the run starts over. */
  disableRequested: boolean;
}

/** Ids kept per run at most: the highest threshold an endpoint may have. */
export const MAX_RUN = 1000;

/**
 * Folds deliveries that ended (in the order they ended, per endpoint) into
 * their endpoints' runs (README, "Endpoint states"): a failed delivery
 * (exhausted, or ended by a `410 Gone`) adds one, a success empties the run,
 * a delivery ended because the endpoint was deleted or disabled changes
 * nothing, and so does one routed before the endpoint's current state began.
 * A `410 Gone`, or a run reaching the endpoint's `disableAfterFailures`,
 * asks for the endpoint to be disabled, once per run. Pure: the callers pass
 * the live deliveries of non-operational events only.
 */
export function advanceRuns(
  current: ReadonlyMap<string, FailureRun>,
  endings: readonly DeliveryEnding[],
  endpointOf: (id: EndpointId) => EndpointStateFacts | undefined,
  at: Date,
): { changed: FailureRun[]; disables: EndpointDisableRequest[] } {
  const runs = new Map<string, FailureRun>();
  const disables: EndpointDisableRequest[] = [];
  for (const ending of endings) {
    const { request, gone } = ending;
    const endpoint = endpointOf(request.endpointId);
    if (!endpoint || ending.result === 'ended') continue;
    const known = runs.get(request.endpointId) ?? current.get(request.endpointId);
    let run: FailureRun;
    if (known) run = { ...known, failedDeliveries: [...known.failedDeliveries] };
    // No run yet: a success has nothing to empty (an endpoint that never failed keeps no row).
    else if (ending.result === 'succeeded') continue;
    else
      run = {
        endpointId: request.endpointId,
        tenantId: ending.request.tenantId,
        failedDeliveries: [],
        stateVersion: endpoint.stateVersion,
        disableRequested: false,
      };
    if (endpoint.stateVersion > run.stateVersion) run = { ...run, failedDeliveries: [], stateVersion: endpoint.stateVersion, disableRequested: false };
    // Routed before the current state began (e.g. before a re-enable): the fresh start does not inherit it.
    if (request.endpointVersion < run.stateVersion) continue;
    if (ending.result === 'succeeded') {
      run = { ...run, failedDeliveries: [], disableRequested: false };
    } else {
      const { deliveryId, tenantId } = ending.request;
      if (!run.failedDeliveries.includes(deliveryId)) run.failedDeliveries = [...run.failedDeliveries, deliveryId].slice(-MAX_RUN);
      const failures = run.failedDeliveries.length;
      const cause = gone ? 'gone' : failures >= endpoint.disableAfterFailures ? 'failure_threshold' : null;
      if (cause && !run.disableRequested) {
        disables.push({
          endpointId: request.endpointId,
          tenantId,
          cause,
          reason: cause === 'gone' ? 'the endpoint answered 410 Gone' : `${failures} deliveries in a row failed`,
          endpointVersion: request.endpointVersion,
          at: at.toISOString(),
        });
        run = { ...run, disableRequested: true };
      }
    }
    runs.set(request.endpointId, run);
  }
  return { changed: [...runs.values()], disables };
}
