import {
  AttemptsCompletedTopic,
  DeliveriesDeferredTopic,
  type AttemptOutcome,
  type DeliveryRequest,
  type EndpointConfig,
  type EndpointId,
} from '@hookline/contracts';
import type { OutgoingMessage } from '@hookline/kafka';
import { deferralDelayMs, shouldDefer, type Random } from '@hookline/retry-policy';
import { SpanKind, context as otelContext, contextFromHeaders, trace, traceHeaders, tracer, type Context } from '@hookline/telemetry';
import type { Logger } from 'pino';
import { Counter, Histogram } from 'prom-client';
import type { EndpointLimiter } from './endpoint-limiter';

/** Endpoint configurations as of at least a version: the latest known, caught up with the topic when older. */
export interface EndpointConfigs {
  get(id: EndpointId, minVersion: number): Promise<EndpointConfig | undefined>;
}

/** Makes one attempt and describes it; never throws for what the endpoint or network did. */
export interface Attempt {
  execute(request: DeliveryRequest, endpoint: EndpointConfig | undefined, parent: Context): Promise<AttemptOutcome>;
}

/** Where outcomes and deferrals go; resolves once the broker has them. */
export interface DispatchResults {
  send(topic: typeof AttemptsCompletedTopic, messages: OutgoingMessage<typeof AttemptsCompletedTopic>[]): Promise<void>;
  send(topic: typeof DeliveriesDeferredTopic, messages: OutgoingMessage<typeof DeliveriesDeferredTopic>[]): Promise<void>;
}

const attempts = new Counter({ name: 'hookline_attempts_total', help: 'Delivery attempts by result', labelNames: ['result'] });
const deferrals = new Counter({ name: 'hookline_deliveries_deferred_total', help: 'Delivery requests deferred because their endpoint queue was full' });
const duration = new Histogram({
  name: 'hookline_attempt_duration_seconds',
  help: 'Duration of delivery attempts',
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
});

/**
 * A delivery request → an attempt outcome on Kafka, limited per endpoint. A
 * request whose endpoint is both backed up and slow is deferred to the
 * retry-scheduler instead of waiting here (libs/retry-policy `shouldDefer`),
 * so it cannot hold the partition. Resolves once the outcome (or deferral) is
 * on Kafka: only then may the request's offset be committed.
 */
export class DispatchRequest {
  constructor(
    private readonly endpoints: EndpointConfigs,
    private readonly attempt: Attempt,
    private readonly results: DispatchResults,
    private readonly limiter: EndpointLimiter,
    private readonly queueLimit: number,
    private readonly random: Random,
    private readonly logger: Logger,
  ) {}

  async execute(request: DeliveryRequest, headers: Record<string, string>): Promise<'attempted' | 'deferred'> {
    const endpoint = {
      queued: this.limiter.queued(request.endpointId),
      queueLimit: this.queueLimit,
      oldestActiveMs: this.limiter.oldestActiveMs(request.endpointId),
    };
    if (shouldDefer(endpoint)) {
      await this.results.send(DeliveriesDeferredTopic, [{ value: { request, delayMs: deferralDelayMs(this.random), reason: 'endpoint queue full' }, headers }]);
      deferrals.inc();
      return 'deferred';
    }
    const parent = contextFromHeaders(headers);
    const { outcome, outcomeHeaders } = await this.limiter.run(request.endpointId, async () => {
      const span = tracer().startSpan(
        'dispatch',
        { kind: SpanKind.CONSUMER, attributes: { 'hookline.delivery_id': request.deliveryId, 'hookline.attempt': request.attempt } },
        parent,
      );
      try {
        const config = await this.endpoints.get(request.endpointId, request.endpointVersion);
        const result = await this.attempt.execute(request, config, trace.setSpan(otelContext.active(), span));
        // The outcome continues the trace from the attempt itself (what the endpoint saw as traceparent).
        const traceparent = result.requestHeaders.traceparent;
        return { outcome: result, outcomeHeaders: traceparent ? { traceparent } : traceHeaders(span) };
      } finally {
        span.end();
      }
    });
    await this.results.send(AttemptsCompletedTopic, [{ value: outcome, headers: outcomeHeaders }]);
    attempts.inc({ result: outcome.succeeded ? 'succeeded' : outcome.failure.kind });
    duration.observe(outcome.durationMs / 1000);
    this.logger.debug(
      {
        tenantId: request.tenantId,
        eventId: request.event.id,
        endpointId: request.endpointId,
        deliveryId: request.deliveryId,
        attemptId: outcome.attemptId,
        attempt: request.attempt,
        status: outcome.response?.status,
        failure: outcome.failure?.kind,
        durationMs: outcome.durationMs,
      },
      'attempt finished',
    );
    return 'attempted';
  }
}
