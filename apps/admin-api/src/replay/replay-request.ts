import type { DeliveryRequest, EventEnvelope, ReplayOrigin } from '@hookline/contracts';
import type { ReplayableDelivery, ReplayTarget } from './replay.ports';

/**
 * The request of a replayed delivery's next attempt chain. The delivery id is
 * the same, so the receiver sees the same `webhook-id` and `Idempotency-Key`;
 * the attempt numbers go on after the log's last one and the chain starts
 * there, so the endpoint's whole retry policy applies again; the endpoint's
 * current version, so its current URL and secrets are used.
 */
export function replayRequest(
  delivery: ReplayableDelivery,
  event: EventEnvelope,
  endpoint: ReplayTarget,
  replay: ReplayOrigin,
  attempt = delivery.attemptCount + 1,
): DeliveryRequest {
  return {
    deliveryId: delivery.id,
    tenantId: delivery.tenantId,
    endpointId: delivery.endpointId,
    endpointVersion: endpoint.version,
    attempt,
    chainStart: attempt,
    reason: 'replay',
    requestedAt: replay.at,
    ...(delivery.mode === 'test' ? { mode: 'test' as const } : {}),
    replay,
    ...(delivery.rule ? { rule: delivery.rule } : {}),
    ...(delivery.body !== undefined ? { body: delivery.body } : {}),
    event,
  };
}
