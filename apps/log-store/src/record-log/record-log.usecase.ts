import type { AttemptOutcome, DeliveryExhausted, DeliveryRequest, EventEnvelope } from '@hookline/contracts';
import { SpanKind, tracer, type Context } from '@hookline/telemetry';
import { Counter } from 'prom-client';

/** The delivery log's batched, idempotent writes (PostgreSQL in production). */
export interface DeliveryLog {
  insertEvents(events: EventEnvelope[]): Promise<void>;
  insertDeliveries(requests: DeliveryRequest[]): Promise<void>;
  recordAttempts(outcomes: AttemptOutcome[]): Promise<void>;
  markDead(exhausted: DeliveryExhausted[]): Promise<void>;
}

export interface LogBatch {
  events: EventEnvelope[];
  requests: DeliveryRequest[];
  attempts: { outcome: AttemptOutcome; context: Context }[];
  exhausted: DeliveryExhausted[];
}

const written = new Counter({ name: 'hookline_log_rows_written_total', help: 'Delivery-log records written', labelNames: ['kind'] });

/** Writes one consumed batch into the delivery log; each attempt's write is a span in its event's trace. */
export class RecordLog {
  constructor(private readonly log: DeliveryLog) {}

  async execute(batch: LogBatch): Promise<void> {
    const firstRequests = batch.requests.filter(isFirstRequest);
    const spans = batch.attempts.map(({ outcome, context }) =>
      tracer().startSpan(
        'log attempt',
        { kind: SpanKind.CONSUMER, attributes: { 'hookline.delivery_id': outcome.deliveryId, 'hookline.attempt': outcome.attempt } },
        context,
      ),
    );
    try {
      await this.log.insertEvents(batch.events);
      await this.log.insertDeliveries(firstRequests);
      await this.log.recordAttempts(batch.attempts.map((a) => a.outcome));
    } finally {
      spans.forEach((s) => s.end());
    }
    await this.log.markDead(batch.exhausted);
    written.inc({ kind: 'event' }, batch.events.length);
    written.inc({ kind: 'delivery' }, firstRequests.length);
    written.inc({ kind: 'attempt' }, batch.attempts.length);
    written.inc({ kind: 'dead' }, batch.exhausted.length);
  }
}

/**
 * The request that creates a delivery: its first attempt, neither deferred
 * nor released from a hold. Any other (a retry, a replay, one coming back
 * from a deferral or a hold) is of a delivery whose row its first request
 * already wrote (and its outcome would write it too), so it costs no write.
 */
export function isFirstRequest(request: DeliveryRequest): boolean {
  return request.reason === 'initial' && !request.deferrals && request.release === undefined;
}
