import {
  EventsAcceptedTopic,
  isOperationalEventType,
  modeOf,
  operationalEvent,
  type AttemptOutcome,
  type DeliveryExhausted,
  type DeliveryExhaustedEventData,
  type DeliveryId,
  type EndpointId,
  type EventEnvelope,
} from '@hookline/contracts';
import type { OutgoingMessage } from '@hookline/kafka';
import type { Logger } from 'pino';
import { Counter } from 'prom-client';
import { planAlert, type AlertWindow } from './alert-window';

/** A delivery given up, as `ScheduleRetry` decided it. */
export interface DeadDelivery {
  outcome: AttemptOutcome;
  exhausted: DeliveryExhausted;
  traceHeaders: Record<string, string>;
}

/** A `delivery.exhausted` decided for an endpoint, to put on Kafka. */
export interface PendingAlert {
  endpointId: EndpointId;
  event: EventEnvelope;
  traceHeaders: Record<string, string>;
}

/** What one endpoint's window becomes. */
export interface WindowChange {
  /** A new window, opened now by an alert naming `subjectDeliveryId`; the backlog is emptied into it. */
  announce: { alert: PendingAlert; subjectDeliveryId: DeliveryId; startedAt: Date } | null;
  backlogAdds: DeliveryId[];
}

/** The durable window of each endpoint (one instance owns an endpoint at a time; the store serialises the rest). */
export interface AlertWindows {
  /** Alerts decided earlier whose publication was never confirmed (a crash between the two). */
  unpublished(endpointIds: EndpointId[]): Promise<PendingAlert[]>;
  /**
   * In one transaction: locks the endpoints' windows, asks `change` what each
   * becomes (given which of `deliveryIds` it already counts) and stores it,
   * the new alerts as unpublished. Resolves with those alerts.
   */
  update(
    endpointIds: EndpointId[],
    deliveryIds: DeliveryId[],
    change: (endpointId: EndpointId, window: AlertWindow, inBacklog: ReadonlySet<DeliveryId>) => WindowChange,
  ): Promise<PendingAlert[]>;
  markPublished(alerts: PendingAlert[]): Promise<void>;
}

/** The endpoint an alert names, as its configuration (at least `minVersion`) says; undefined once deleted. */
export interface SubjectEndpoints {
  describe(endpointId: EndpointId, minVersion: number): Promise<{ id: string; url: string; description: string } | undefined>;
}

/** Where operational events enter the tenant's stream; resolves once the broker has them. */
export interface OperationalEvents {
  send(topic: typeof EventsAcceptedTopic, messages: OutgoingMessage<typeof EventsAcceptedTopic>[]): Promise<void>;
}

export interface Clock {
  now(): Date;
}

const alerts = new Counter({
  name: 'hookline_exhausted_alerts_total',
  help: 'Deliveries given up, by whether a delivery.exhausted event named them or they were counted in the next one',
  labelNames: ['result'],
});

/** The event id of an endpoint's window: a redone batch emits the same event, never a second one. */
export const exhaustedEventId = (endpointId: EndpointId, windowStartedAt: Date) => `delivery.exhausted:${endpointId}:${windowStartedAt.getTime()}`;

/**
 * Announces deliveries given up as `delivery.exhausted` events in their
 * tenant's stream, at most one per endpoint per `intervalMs` (the next one
 * counts those in between). Called with the batch that marked them dead,
 * before it commits: an alert is decided and stored, then produced, then
 * marked published; a crash in between re-sends the same event (same id).
 * Never announced: a delivery of an operational event (no loops), a test
 * send, and a delivery ended because its endpoint was deleted or disabled
 * (there is no failing endpoint to warn about).
 */
export class AlertExhausted {
  constructor(
    private readonly windows: AlertWindows,
    private readonly endpoints: SubjectEndpoints,
    private readonly events: OperationalEvents,
    private readonly clock: Clock,
    private readonly intervalMs: number,
    private readonly logger: Logger,
  ) {}

  async execute(dead: DeadDelivery[]): Promise<void> {
    const byEndpoint = new Map<EndpointId, DeadDelivery[]>();
    for (const d of dead.filter(announced)) byEndpoint.set(d.exhausted.endpointId, [...(byEndpoint.get(d.exhausted.endpointId) ?? []), d]);
    if (byEndpoint.size === 0) return;
    await this.publish(await this.windows.unpublished([...byEndpoint.keys()]));

    const subjects = new Map<EndpointId, DeliveryExhaustedEventData['endpoint']>();
    for (const [endpointId, deliveries] of byEndpoint) {
      const subject = await this.endpoints.describe(endpointId, Math.max(...deliveries.map((d) => d.outcome.endpointVersion)));
      if (subject) subjects.set(endpointId, subject);
      else byEndpoint.delete(endpointId);
    }
    if (byEndpoint.size === 0) return;

    const now = this.clock.now();
    const deliveryIds = [...new Set([...byEndpoint.values()].flat().map((d) => d.exhausted.deliveryId))];
    const decided = await this.windows.update([...byEndpoint.keys()], deliveryIds, (endpointId, window, inBacklog) => {
      const candidates = byEndpoint.get(endpointId)!.map((d) => ({ ...d, deliveryId: d.exhausted.deliveryId }));
      const plan = planAlert(window, candidates, inBacklog, now, this.intervalMs);
      alerts.inc({ result: 'counted' }, plan.backlogAdds.length);
      if (!plan.announce) return { announce: null, backlogAdds: plan.backlogAdds };
      const { candidate, alsoExhausted } = plan.announce;
      const alert = alertFor(candidate, subjects.get(endpointId)!, alsoExhausted, now);
      return { announce: { alert, subjectDeliveryId: candidate.deliveryId, startedAt: now }, backlogAdds: plan.backlogAdds };
    });
    alerts.inc({ result: 'announced' }, decided.length);
    await this.publish(decided);
  }

  private async publish(pending: PendingAlert[]): Promise<void> {
    if (pending.length === 0) return;
    await this.events.send(
      EventsAcceptedTopic,
      pending.map((a) => ({ value: a.event, headers: a.traceHeaders })),
    );
    await this.windows.markPublished(pending);
    for (const a of pending) this.logger.info({ tenantId: a.event.tenantId, eventId: a.event.id, endpointId: a.endpointId }, 'delivery.exhausted emitted');
  }
}

/** The event naming `dead` (its window opening `at`), keeping the trace of the attempt that gave up. */
function alertFor(dead: DeadDelivery, endpoint: DeliveryExhaustedEventData['endpoint'], alsoExhausted: number, at: Date): PendingAlert {
  const { deliveryId, tenantId, endpointId, eventId, eventType, attempts, reason, exhaustedAt } = dead.exhausted;
  const data: DeliveryExhaustedEventData = { endpoint, delivery: { id: deliveryId, eventId, eventType, attempts, reason, exhaustedAt }, alsoExhausted };
  const event = operationalEvent(tenantId, 'delivery.exhausted', exhaustedEventId(endpointId, at), data, at);
  return { endpointId, event, traceHeaders: dead.traceHeaders };
}

function announced({ outcome }: DeadDelivery): boolean {
  if (outcome.succeeded || modeOf(outcome) === 'test' || isOperationalEventType(outcome.event.type)) return false;
  return outcome.failure.kind !== 'endpoint_missing' && outcome.failure.kind !== 'endpoint_disabled';
}
