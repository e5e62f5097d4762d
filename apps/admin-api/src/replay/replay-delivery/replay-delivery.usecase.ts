import { DeliveriesRequestedTopic, DeliveryIdSchema, type TenantId } from '@hookline/contracts';
import { conflict, notFound } from '@hookline/service-kit';
import type { Clock } from '../../endpoints/endpoint.ports';
import { replayRequest } from '../replay-request';
import { FINAL_STATUSES, type DeliveryRequests, type ReplayableDelivery, type ReplayEndpoints, type ReplayLog } from '../replay.ports';

export interface ReplayCommand {
  deliveryId: string;
  /** The caller's tenant (a tenant key), or the one a global key named; undefined: any. */
  tenantId?: TenantId;
  /** Who asks: the API key id. */
  by: string;
}

export interface ReplayAccepted {
  delivery: ReplayableDelivery;
  /** The attempt number the replay's first attempt will have. */
  attempt: number;
}

/**
 * One more attempt chain for a delivery in a final state (succeeded or dead),
 * published on the delivery-requests topic like any attempt. A delivery still
 * being tried is refused: its own chain is not over, and a second chain beside
 * it would race it.
 */
export class ReplayDelivery {
  constructor(
    private readonly log: ReplayLog,
    private readonly endpoints: ReplayEndpoints,
    private readonly requests: DeliveryRequests,
    private readonly clock: Clock,
  ) {}

  async execute(command: ReplayCommand): Promise<ReplayAccepted> {
    const parsed = DeliveryIdSchema.safeParse(command.deliveryId);
    const delivery = parsed.success ? await this.log.findDelivery(parsed.data, command.tenantId) : null;
    if (!delivery) throw notFound(`delivery ${command.deliveryId}`);
    if (!(FINAL_STATUSES as readonly string[]).includes(delivery.status)) {
      throw conflict(
        'delivery_in_progress',
        `delivery ${delivery.id} is ${delivery.status}: it is still being tried; replay it once it has succeeded or is dead`,
      );
    }
    const endpoint = await this.endpoints.findLive(delivery.tenantId, delivery.endpointId);
    if (!endpoint) throw conflict('endpoint_deleted', `endpoint ${delivery.endpointId} of delivery ${delivery.id} was deleted`);
    if (!endpoint.enabled) throw conflict('endpoint_disabled', `endpoint ${delivery.endpointId} is disabled; enable it before replaying its deliveries`);
    const event = (await this.log.findEvents(delivery.tenantId, [delivery.eventId])).get(delivery.eventId);
    if (!event) throw conflict('event_unavailable', `event ${delivery.eventId} is no longer in the log (retention)`);
    const request = replayRequest(delivery, event, endpoint, { by: command.by, at: this.clock.now().toISOString() });
    await this.requests.send(DeliveriesRequestedTopic, [{ value: request }]);
    return { delivery, attempt: request.attempt };
  }
}
