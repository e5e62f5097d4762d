import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { AttemptsCompletedTopic, DeliveriesDeferredTopic, DeliveriesRequestedTopic, DeliveryRequestSchema, type DeliveryRequest } from '@hookline/contracts';
import { parseJson, WindowedConsumer, type BatchingProducer, type ConsumedMessage, type Kafka, type TopicNames } from '@hookline/kafka';
import { KAFKA, LOGGER, PRODUCER, Readiness, TOPICS } from '@hookline/service-kit';
import { SpanKind, context as otelContext, contextFromHeaders, trace, traceHeaders, tracer } from '@hookline/telemetry';
import type { Logger } from 'pino';
import { Counter, Histogram } from 'prom-client';
import { DeliverAttempt } from '../deliver-attempt/deliver-attempt.usecase';
import { DISPATCHER_CONFIG } from '../dispatcher.tokens';
import type { DispatcherConfig } from '../dispatcher.config';
import { EndpointCache } from '../endpoints/endpoint.cache';
import { EndpointLimiter } from './endpoint-limiter';

/** An endpoint with an attempt running this long counts as slow. */
const SLOW_ATTEMPT_MS = 1_000;

const attempts = new Counter({ name: 'hookline_attempts_total', help: 'Delivery attempts by result', labelNames: ['result'] });
const deferrals = new Counter({ name: 'hookline_deliveries_deferred_total', help: 'Delivery requests deferred because their endpoint queue was full' });
const duration = new Histogram({
  name: 'hookline_attempt_duration_seconds',
  help: 'Duration of delivery attempts',
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
});

/**
 * Delivery requests → attempts. Requests are worked on concurrently (windowed
 * consumer), limited per endpoint; a request whose endpoint already has a full
 * queue is deferred to the retry-scheduler instead of waiting here, if the
 * endpoint is also slow (an attempt running for a second or more). A request's
 * offset counts as done once its outcome (or deferral) is on Kafka.
 */
@Injectable()
export class DeliveryRequestsConsumer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly consumer: WindowedConsumer;
  private readonly limiter: EndpointLimiter;

  constructor(
    @Inject(KAFKA) kafka: Kafka,
    @Inject(TOPICS) topics: TopicNames,
    @Inject(PRODUCER) private readonly producer: BatchingProducer,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(DISPATCHER_CONFIG) private readonly config: DispatcherConfig,
    private readonly endpoints: EndpointCache,
    private readonly deliverAttempt: DeliverAttempt,
    readiness: Readiness,
  ) {
    this.limiter = new EndpointLimiter(config.DISPATCHER_ENDPOINT_CONCURRENCY);
    this.consumer = new WindowedConsumer(kafka, topics, logger, {
      groupId: topics.group('dispatcher'),
      topics: [DeliveriesRequestedTopic],
      handle: (message) => this.handle(message),
      maxInFlightPerPartition: config.DISPATCHER_PARTITION_WINDOW,
    });
    readiness.add('delivery-requests-consumer', async () => {
      if (!this.consumer.isRunning) throw new Error('delivery requests consumer is not running');
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.consumer.start();
  }

  /** Finishes the attempts in flight (they are bounded by the endpoint timeout), then commits. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.consumer.stop(35_000);
  }

  private async handle(message: ConsumedMessage): Promise<void> {
    const json = parseJson(message.value);
    const parsed = json.ok ? DeliveryRequestSchema.safeParse(json.value) : null;
    if (!parsed?.success) {
      this.logger.error(
        { topic: message.topic, partition: message.partition, offset: message.offset },
        'skipping a delivery request that does not match its contract',
      );
      return;
    }
    const request = parsed.data;
    const parent = contextFromHeaders(message.headers);
    // Defer only an endpoint that is both backed up and slow; a healthy endpoint's burst just queues here.
    if (
      this.limiter.queued(request.endpointId) >= this.config.DISPATCHER_ENDPOINT_QUEUE &&
      this.limiter.oldestActiveMs(request.endpointId) >= SLOW_ATTEMPT_MS
    ) {
      await this.defer(request, message.headers);
      return;
    }
    const outcome = await this.limiter.run(request.endpointId, async () => {
      const span = tracer().startSpan(
        'dispatch',
        { kind: SpanKind.CONSUMER, attributes: { 'hookline.delivery_id': request.deliveryId, 'hookline.attempt': request.attempt } },
        parent,
      );
      try {
        const endpoint = await this.endpoints.get(request.endpointId, request.endpointVersion);
        const result = await this.deliverAttempt.execute(request, endpoint, trace.setSpan(otelContext.active(), span));
        // The outcome continues the trace from the attempt itself (what the endpoint saw as traceparent).
        const traceparent = result.requestHeaders.traceparent;
        return { result, headers: traceparent ? { traceparent } : traceHeaders(span) };
      } finally {
        span.end();
      }
    });
    const { result } = outcome;
    await this.producer.send(AttemptsCompletedTopic, [{ value: result, headers: outcome.headers }]);
    attempts.inc({ result: result.succeeded ? 'succeeded' : (result.failure?.kind ?? 'failed') });
    duration.observe(result.durationMs / 1000);
    this.logger.debug(
      {
        tenantId: request.tenantId,
        eventId: request.event.id,
        endpointId: request.endpointId,
        deliveryId: request.deliveryId,
        attemptId: result.attemptId,
        attempt: request.attempt,
        status: result.response?.status,
        failure: result.failure?.kind,
        durationMs: result.durationMs,
      },
      'attempt finished',
    );
  }

  private async defer(request: DeliveryRequest, headers: Record<string, string>): Promise<void> {
    const delayMs = 2_000 + Math.floor(Math.random() * 3_000);
    await this.producer.send(DeliveriesDeferredTopic, [{ value: { request, delayMs, reason: 'endpoint queue full' }, headers }]);
    deferrals.inc();
  }
}
