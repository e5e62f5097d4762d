import { messageIdOf, newEventId, type DeliveryRequest, type EndpointId, type EventId, type TenantId } from '@hookline/contracts';
import { ApiError, conflict, notFound } from '@hookline/service-kit';
import { buildDeliveryRequest, signingSchemes, type DeliveryHttpRequest, type KeyMaterial } from '@hookline/signing';
import type { Logger } from 'pino';
import type { EndpointEntity } from '../../endpoints/endpoint.entity';
import type { Clock, EndpointStore } from '../../endpoints/endpoint.ports';
import { eventFor, type SampleEvent } from '../test-event';
import type { KeyMaterialOpener } from '../test-mode.ports';

export interface PreviewInput extends SampleEvent {
  /** The event id (`webhook-id`); a new `evt_…` id, as ingest would assign, when absent. */
  id?: EventId;
  /** Unix seconds of the attempt (`webhook-timestamp`); now when absent. */
  timestamp?: number;
  /** The event's `occurredAt`; the attempt's time when absent. */
  occurredAt?: string;
  /** The `hookline-v1` nonce; a fresh one when absent, as on every attempt. */
  nonce?: string;
}

/**
 * The exact request a delivery of the sample event to the endpoint would be,
 * built by the dispatcher's own function with the endpoint's real secrets and
 * keys, and sent nowhere. With the `webhook-id`, `webhook-timestamp`,
 * `occurredAt` and nonce of a past attempt it is that attempt again, byte for
 * byte, but for `traceparent`, which belongs to the attempt's trace and is
 * left out.
 */
export class PreviewDelivery {
  constructor(
    private readonly endpoints: Pick<EndpointStore, 'findLive'>,
    private readonly keys: KeyMaterialOpener,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  async execute(tenantId: TenantId, id: EndpointId, input: PreviewInput): Promise<DeliveryHttpRequest> {
    const endpoint = await this.endpoints.findLive(tenantId, id);
    if (!endpoint) throw notFound(`endpoint ${id}`);
    const timestamp = input.timestamp ?? Math.floor(this.clock.now().getTime() / 1000);
    const at = new Date(timestamp * 1000);
    const { event, deliveryId } = eventFor(endpoint, input, input.id ?? newEventId(), input.occurredAt ? new Date(input.occurredAt) : at, at);
    return this.request(endpoint, { deliveryId, event }, timestamp, input.nonce);
  }

  /**
   * The exact request of one delivery to the endpoint at `timestamp`, sent
   * nowhere: a preview's, or a rule's dry trial with its transformed body and
   * message id. 409 `cannot_sign` when nothing would be sent.
   */
  request(
    endpoint: EndpointEntity,
    delivery: Pick<DeliveryRequest, 'deliveryId' | 'event' | 'body' | 'rule'>,
    timestamp: number,
    nonce?: string,
  ): DeliveryHttpRequest {
    const at = new Date(timestamp * 1000);
    const id = endpoint.id;
    let material: KeyMaterial;
    try {
      material = this.keys.openKeyMaterial(endpoint);
    } catch (err) {
      this.logger.error({ err, endpointId: id }, 'a secret or private key of an endpoint does not open with the master key');
      throw new ApiError(500, 'key_unavailable', `a secret or private key of endpoint ${id} does not open with this service's master key`);
    }
    const signing = signingSchemes(endpoint, material, at);
    if (!signing.ok) throw conflict('cannot_sign', `nothing would be sent at ${at.toISOString()}: ${signing.message}`);
    return buildDeliveryRequest({
      endpoint,
      schemes: signing.schemes,
      event: delivery.event,
      deliveryId: delivery.deliveryId,
      timestamp,
      nonce,
      ...(delivery.body === undefined ? {} : { body: JSON.stringify(delivery.body) }),
      messageId: messageIdOf(delivery),
    });
  }
}
