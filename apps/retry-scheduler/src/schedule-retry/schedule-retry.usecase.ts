import { Inject, Injectable } from '@nestjs/common';
import { DeliveriesExhaustedTopic, type AttemptOutcome, type DeliveryDeferred, type DeliveryExhausted } from '@hookline/contracts';
import type { BatchingProducer } from '@hookline/kafka';
import { LOGGER, PRODUCER } from '@hookline/service-kit';
import type { Logger } from 'pino';
import { Counter } from 'prom-client';
import { DEFAULT_JITTER, decideRetry } from '@hookline/retry-policy';
import { RETRY_CONFIG } from '../retry-scheduler.tokens';
import type { RetrySchedulerConfig } from '../retry-scheduler.config';
import { RetryScheduleRepository, type ScheduledRetry } from './retry-schedule.repository';

export interface OutcomeWithTrace {
  outcome: AttemptOutcome;
  traceHeaders: Record<string, string>;
}

export interface DeferralWithTrace {
  deferred: DeliveryDeferred;
  traceHeaders: Record<string, string>;
}

const decisions = new Counter({ name: 'hookline_retry_decisions_total', help: 'Retry decisions after attempts', labelNames: ['action'] });

/**
 * The one place that decides what happens after an attempt: nothing, a retry
 * at a computed time (stored durably), or dead (published as exhausted).
 * Deferred requests (endpoint saturated) are stored to be re-issued as they are.
 */
@Injectable()
export class ScheduleRetry {
  constructor(
    private readonly schedule: RetryScheduleRepository,
    @Inject(PRODUCER) private readonly producer: BatchingProducer,
    @Inject(RETRY_CONFIG) private readonly config: RetrySchedulerConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async execute(outcomes: OutcomeWithTrace[], deferrals: DeferralWithTrace[]): Promise<void> {
    const now = Date.now();
    const retries: ScheduledRetry[] = [];
    const finished: string[] = [];
    const exhausted: DeliveryExhausted[] = [];
    for (const { outcome, traceHeaders } of outcomes) {
      const { request } = outcome;
      const decision = decideRetry(outcome, { schedule: this.config.HOOKLINE_RETRY_SCHEDULE, jitter: DEFAULT_JITTER }, Math.random);
      decisions.inc({ action: decision.action });
      if (decision.action === 'retry') {
        retries.push({
          request: { ...request, attempt: decision.nextAttempt, reason: 'retry', requestedAt: new Date(now + decision.delayMs).toISOString() },
          dueAt: new Date(now + decision.delayMs),
          traceHeaders,
        });
        continue;
      }
      finished.push(request.deliveryId);
      if (decision.action === 'dead') {
        exhausted.push({
          deliveryId: request.deliveryId,
          tenantId: request.tenantId,
          endpointId: request.endpointId,
          eventId: request.event.id,
          eventType: request.event.type,
          eventReceivedAt: request.event.receivedAt,
          attempts: request.attempt,
          reason: decision.reason,
          exhaustedAt: new Date(now).toISOString(),
        });
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
      retries.push({ request: deferred.request, dueAt: new Date(now + deferred.delayMs), traceHeaders });
    }
    await this.schedule.upsert(retries);
    await this.schedule.cancel(finished);
    await this.producer.send(
      DeliveriesExhaustedTopic,
      exhausted.map((value) => ({ value })),
    );
  }
}
