import type { DeliveriesRequestedTopic, DeliveryId, DeliveryMode, EndpointId, EventEnvelope, TenantId, RuleOrigin } from '@hookline/contracts';
import type { OutgoingMessage } from '@hookline/kafka';

/** A delivery of the log as a replay needs it. */
export interface ReplayableDelivery {
  id: DeliveryId;
  tenantId: TenantId;
  endpointId: EndpointId;
  eventId: string;
  status: string;
  attemptCount: number;
  mode: DeliveryMode;
  createdAt: Date;
  /** The rule action that made the delivery, if one did; a replay keeps it (and its message id). */
  rule?: RuleOrigin;
  /** The body that action's transformation made, if it had one: a replay sends it again. */
  body?: unknown;
}

/** The delivery log (written by log-store) as replays read it. */
export interface ReplayLog {
  /** Given a tenant, another tenant's delivery is not found. */
  findDelivery(id: DeliveryId, tenantId?: TenantId): Promise<ReplayableDelivery | null>;
  /** Events of the tenant by id, rebuilt as accepted (ids the log no longer holds are left out). */
  findEvents(tenantId: TenantId, eventIds: string[]): Promise<Map<string, EventEnvelope>>;
}

/** An endpoint as a replay needs it: its current version, whether it takes deliveries, and its rate limit (which paces a recovery). */
export interface ReplayTarget {
  id: EndpointId;
  version: number;
  enabled: boolean;
  rateLimit?: { perSecond: number } | null;
}

export interface ReplayEndpoints {
  findLive(tenantId: TenantId, id: EndpointId): Promise<ReplayTarget | null>;
}

/** The delivery-requests topic; resolves once the broker has acknowledged the messages. */
export interface DeliveryRequests {
  send(topic: typeof DeliveriesRequestedTopic, messages: OutgoingMessage<typeof DeliveriesRequestedTopic>[]): Promise<void>;
}

/** Delivery statuses a replay may start from: the final ones. */
export const FINAL_STATUSES = ['succeeded', 'dead'] as const;
