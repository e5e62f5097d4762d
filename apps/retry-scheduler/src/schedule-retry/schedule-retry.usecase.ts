import {
  DeliveriesExhaustedTopic,
  isRefused,
  modeOf,
  type AttemptOutcome,
  type DeliveryDeferred,
  type DeliveryExhausted,
  type DeliveryId,
  type DeliveryRequest,
  type SuccessFromHeaders,
  type TenantId,
} from '@hookline/contracts';
import type { OutgoingMessage } from '@hookline/kafka';
import { decideRetry, type Random, type RetryPolicy } from '@hookline/retry-policy';
import type { Logger } from 'pino';
import { Counter } from 'prom-client';
import type { DeadDelivery } from '../alert-exhausted/alert-exhausted.usecase';
import type { HeldRequest, ScheduledRetry } from './retry-schedule.repository';

/** The durable schedule of next attempts, one per delivery. */
export interface RetrySchedule {
  /** Stores the retries; a delivery's row never moves back to an earlier attempt. */
  upsert(retries: ScheduledRetry[]): Promise<void>;
  /** Stores requests of paused endpoints, without a due time, in the order given. */
  hold(held: HeldRequest[]): Promise<void>;
  /** Drops the pending retries of deliveries that need no more attempts. */
  cancel(deliveryIds: DeliveryId[]): Promise<void>;
}

/** Where dead deliveries are announced; resolves once the broker has them. */
export interface ExhaustedDeliveries {
  send(topic: typeof DeliveriesExhaustedTopic, messages: OutgoingMessage<typeof DeliveriesExhaustedTopic>[]): Promise<void>;
}

/** Where deliveries given up become `delivery.exhausted` events (rate-limited per endpoint); resolves once those are on Kafka. */
export interface ExhaustionAlerts {
  raise(dead: DeadDelivery[]): Promise<void>;
}

export interface Clock {
  now(): Date;
}

export interface OutcomeWithTrace {
  outcome: AttemptOutcome;
  traceHeaders: Record<string, string>;
}

export interface DeferralWithTrace {
  deferred: DeliveryDeferred;
  traceHeaders: Record<string, string>;
}

/** What an ending tells of its delivery: a success read from its record's headers tells no more. */
export type EndingSubject = Pick<DeliveryRequest, 'endpointId' | 'endpointVersion' | 'mode'> & { event: { type: string } };

/**
 * How a delivery ended in this batch: what an endpoint's run of failed
 * deliveries is made of. `failed`: given up because of what the endpoint did
 * (exhausted, or 410); `ended`: given up for another reason (deleted or
 * disabled endpoint). `gone`: the endpoint answered 410 Gone.
 */
export type DeliveryEnding =
  | { result: 'succeeded'; request: EndingSubject; gone: boolean }
  | { result: 'failed' | 'ended'; request: EndingSubject & { deliveryId: DeliveryId; tenantId: TenantId }; gone: boolean };

const decisions = new Counter({ name: 'hookline_retry_decisions_total', help: 'Retry decisions after attempts', labelNames: ['action'] });

/**
 * The one place that acts on what happens after an attempt (decided by
 * libs/retry-policy): nothing, a retry at a computed time (stored durably), or
 * dead (published as exhausted; this is where a delivery is marked dead).
 * Deferred requests (endpoint saturated) are stored to be re-issued as they are.
 */
export class ScheduleRetry {
  constructor(
    private readonly schedule: RetrySchedule,
    private readonly exhausted: ExhaustedDeliveries,
    private readonly alerts: ExhaustionAlerts,
    private readonly policy: RetryPolicy,
    private readonly clock: Clock,
    private readonly random: Random,
    private readonly logger: Logger,
  ) {}

  /**
   * Returns how the deliveries that finished in the batch ended (for the
   * endpoints' failure runs). `firstTrySuccesses` are successes of a first
   * attempt read from their records' headers alone: they only end their
   * deliveries, as a parsed one would.
   */
  async execute(outcomes: OutcomeWithTrace[], deferrals: DeferralWithTrace[], firstTrySuccesses: SuccessFromHeaders[] = []): Promise<DeliveryEnding[]> {
    const now = this.clock.now().getTime();
    const retries: ScheduledRetry[] = [];
    const held: HeldRequest[] = [];
    const endings: DeliveryEnding[] = [];
    const finished: DeliveryId[] = [];
    const dead: DeliveryExhausted[] = [];
    const announced: DeadDelivery[] = [];
    for (const success of firstTrySuccesses) {
      decisions.inc({ action: success.mode === 'test' ? 'test' : 'done' });
      const { endpointId, endpointVersion, mode, eventType } = success;
      endings.push({ result: 'succeeded', request: { endpointId, endpointVersion, mode, event: { type: eventType } }, gone: false });
    }
    for (const { outcome, traceHeaders } of outcomes) {
      // A test send is one attempt, answered to whoever asked for it: never retried, never announced as dead, never scheduled.
      if (modeOf(outcome) === 'test') {
        decisions.inc({ action: 'test' });
        continue;
      }
      const decision = decideRetry(outcome, this.policy, this.random);
      decisions.inc({ action: decision.action });
      if (outcome.succeeded) {
        // A first attempt has no row to drop: its request was never scheduled, or was deleted when it was issued.
        if (outcome.attempt > 1) finished.push(outcome.deliveryId);
        endings.push({ result: 'succeeded', request: outcome, gone: false });
        continue;
      }
      const { request } = outcome;
      if (decision.action === 'retry') {
        const dueAt = new Date(now + decision.delayMs);
        // A new attempt starts with no deferrals (the count only lengthens the waits of the attempt it was counted for), and is no released one.
        const { deferrals: _deferrals, release: _release, ...attempted } = request;
        retries.push({ request: { ...attempted, attempt: decision.nextAttempt, reason: 'retry', requestedAt: dueAt.toISOString() }, dueAt, traceHeaders });
        continue;
      }
      finished.push(request.deliveryId);
      const gone = isRefused(outcome) && outcome.response.status === 410;
      const byEndpoint = outcome.failure.kind !== 'endpoint_missing' && outcome.failure.kind !== 'endpoint_disabled';
      endings.push({ request, result: byEndpoint ? 'failed' : 'ended', gone });
      if (decision.action === 'dead') {
        const exhausted: DeliveryExhausted = {
          deliveryId: request.deliveryId,
          tenantId: request.tenantId,
          endpointId: request.endpointId,
          eventId: request.event.id,
          eventType: request.event.type,
          eventReceivedAt: request.event.receivedAt,
          attempts: request.attempt,
          reason: decision.reason,
          exhaustedAt: new Date(now).toISOString(),
        };
        dead.push(exhausted);
        announced.push({ outcome, exhausted, traceHeaders });
        this.logger.info(
          {
            tenantId: request.tenantId,
            eventId: request.event.id,
            endpointId: request.endpointId,
            deliveryId: request.deliveryId,
            attempt: request.attempt,
            reason: decision.reason,
          },
          'delivery is dead',
        );
      }
    }
    for (const { deferred, traceHeaders } of deferrals) {
      // A paused endpoint's request waits for the resume, not for a time (as does a released one handed back).
      if (deferred.heldAtVersion !== undefined) held.push({ request: deferred.request, heldAtVersion: deferred.heldAtVersion, traceHeaders });
      else retries.push({ request: deferred.request, dueAt: new Date(now + deferred.delayMs), traceHeaders });
    }
    await this.schedule.upsert(retries);
    await this.schedule.hold(held);
    await this.schedule.cancel(finished);
    // Before the batch commits: a crash after this point redoes the batch, and the alert with it (same id).
    await this.alerts.raise(announced);
    await this.exhausted.send(
      DeliveriesExhaustedTopic,
      dead.map((value) => ({ value })),
    );
    return endings;
  }
}
