import { DeliveriesRequestedTopic, type EndpointId, REISSUED_HEADER } from '@hookline/contracts';
import type { OutgoingMessage } from '@hookline/kafka';
import { randomUUID } from 'node:crypto';
import { Counter } from 'prom-client';
import type { EndpointStateFacts } from '../endpoints/endpoint.directory';
import type { Clock } from '../schedule-retry/schedule-retry.usecase';
import type { HeldRequest } from '../schedule-retry/retry-schedule.repository';

/** The held rows of the schedule (PostgreSQL). */
export interface HeldDeliveries {
  /** Endpoints holding requests, with the lowest endpoint version one of them was held at. */
  heldEndpoints(limit: number): Promise<{ endpointId: EndpointId; lowestHeldVersion: number }[]>;
  /**
   * Up to `limit` of the endpoint's requests held at `upToVersion` or before,
   * in creation order, handed to `issue` and deleted once it resolved, in one
   * transaction that one instance at a time holds per endpoint; 0 when another
   * instance is releasing the endpoint.
   */
  release(endpointId: EndpointId, upToVersion: number, limit: number, issue: (held: HeldRequest[]) => Promise<void>): Promise<number>;
}

/** Each endpoint's latest known state, caught up with the endpoints topic on demand. */
export interface EndpointStates {
  syncToLatest(): Promise<void>;
  get(id: EndpointId): EndpointStateFacts | undefined;
}

export interface DeliveryRequests {
  send(topic: typeof DeliveriesRequestedTopic, messages: OutgoingMessage<typeof DeliveriesRequestedTopic>[]): Promise<void>;
}

const released = new Counter({ name: 'hookline_held_deliveries_released_total', help: 'Held deliveries of resumed, disabled or deleted endpoints re-issued' });

/** Endpoints looked at per run at most. */
const ENDPOINTS_PER_RUN = 1000;

/**
 * Releases the requests held for paused endpoints once the endpoint's state,
 * at the version they were held at or later, is no longer paused: resumed
 * (they are sent), disabled (the dispatcher ends them as `endpoint_disabled`)
 * or deleted (`endpoint_missing`). Each endpoint's requests go out in the
 * order their deliveries were created, at most `perRun` per endpoint per run.
 * Each request names its page and place: a dispatcher that cannot queue it
 * hands it and the rest of its page back to the hold at their places rather
 * than deferring them (a deferral would put them out of order), and the next
 * page starts with them.
 */
export class ReleaseHeld {
  constructor(
    private readonly held: HeldDeliveries,
    private readonly endpoints: EndpointStates,
    private readonly requests: DeliveryRequests,
    private readonly clock: Clock,
    private readonly perRun: number,
  ) {}

  /** Returns how many requests it released. */
  async execute(): Promise<number> {
    const holding = await this.held.heldEndpoints(ENDPOINTS_PER_RUN);
    if (holding.length === 0) return 0;
    await this.endpoints.syncToLatest();
    let count = 0;
    for (const { endpointId, lowestHeldVersion } of holding) {
      const endpoint = this.endpoints.get(endpointId);
      // Deleted: every held request is released (and ended by the dispatcher).
      const upTo = endpoint ? endpoint.version : Number.MAX_SAFE_INTEGER;
      if (endpoint && (endpoint.state === 'paused' || endpoint.version < lowestHeldVersion)) continue;
      count += await this.held.release(endpointId, upTo, this.perRun, async (rows) => {
        const requestedAt = this.clock.now().toISOString();
        const page = randomUUID();
        await this.requests.send(
          DeliveriesRequestedTopic,
          rows.map((r) => ({
            // The dispatcher catches up to at least the version seen here, so it never takes a released request for a paused one.
            value: {
              ...r.request,
              requestedAt,
              endpointVersion: Math.max(r.request.endpointVersion, endpoint?.version ?? 0),
              // A dispatcher that cannot queue it hands it (and the rest of the page) back at this place.
              release: { page, order: r.holdOrder ?? 0 },
            },
            headers: { ...r.traceHeaders, [REISSUED_HEADER]: 'true' },
          })),
        );
      });
    }
    released.inc(count);
    return count;
  }
}
