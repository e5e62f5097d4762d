import {
  AttemptsCompletedTopic,
  DeliveriesDeferredTopic,
  headersOfOutcome,
  modeOf,
  type AttemptOutcome,
  type DeliveryRequest,
  type EndpointConfig,
  type EndpointId,
} from '@hookline/contracts';
import type { OutgoingMessage } from '@hookline/kafka';
import { admit, deferralDelayMs, queueRoom, type AdmissionLimits, type DeferralReason, type Random } from '@hookline/retry-policy';
import { SpanKind, context as otelContext, contextFromHeaders, trace, traceHeaders, tracer, type Context } from '@hookline/telemetry';
import type { Logger } from 'pino';
import { Counter, Gauge, Histogram } from 'prom-client';
import type { EndpointLimiter } from './endpoint-limiter';

/** Endpoint configurations as of at least a version: the latest known, caught up with the topic when older. */
export interface EndpointConfigs {
  get(id: EndpointId, minVersion: number): Promise<EndpointConfig | undefined>;
  /** The latest known config, without catching up (undefined: unknown or deleted). */
  latest(id: EndpointId): EndpointConfig | undefined;
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
const deferrals = new Counter({
  name: 'hookline_deliveries_deferred_total',
  help: 'Delivery requests deferred to the retry-scheduler: endpoint_backlog (it would wait too long behind its endpoint), partition_share (its endpoint holds its share of the partition window), rate_limit (its token of the endpoint rate limit is more than 2 s away), paused (held until its endpoint is resumed), release_backlog (released from a hold but not queued: back to the hold at its place)',
  labelNames: ['reason'],
});
const deferralDelay = new Histogram({
  name: 'hookline_deferral_delay_seconds',
  help: 'How long deferred delivery requests are parked before they are issued again',
  buckets: [2, 5, 10, 30, 60, 120, 300],
});
/** Limiters the gauges below read at scrape time (one per dispatcher; tests may build several in one process). */
const observedLimiters = new Set<EndpointLimiter>();
const totalOf = (field: 'active' | 'queued' | 'backlogged') => [...observedLimiters].reduce((sum, limiter) => sum + limiter.totals()[field], 0);
// Totals rather than per-endpoint series: endpoints are many, and an operator needs to see that a backlog exists and how large.
new Gauge({
  name: 'hookline_dispatcher_attempts_in_flight',
  help: 'Delivery attempts in flight, all endpoints',
  collect() {
    this.set(totalOf('active'));
  },
});
new Gauge({
  name: 'hookline_dispatcher_requests_waiting',
  help: 'Delivery requests waiting in memory for a free slot (or a rate-limit token) of their endpoint, all endpoints',
  collect() {
    this.set(totalOf('queued'));
  },
});
new Gauge({
  name: 'hookline_dispatcher_endpoints_backlogged',
  help: 'Endpoints with delivery requests waiting for a free slot',
  collect() {
    this.set(totalOf('backlogged'));
  },
});
const duration = new Histogram({
  name: 'hookline_attempt_duration_seconds',
  help: 'Duration of delivery attempts',
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
});

/**
 * A delivery request → an attempt outcome on Kafka, limited per endpoint. A
 * request starts when its endpoint has a free slot (its `maxInFlight` within
 * the dispatcher's cap) and, under its `rateLimit`, a token; it waits while it
 * can expect to start soon, and is otherwise deferred to the retry-scheduler
 * at once (libs/retry-policy `admit`), as is a waiting request whose endpoint
 * turned slow (`shedBacklog`): what one endpoint holds of its partition's
 * window stays bounded, so it cannot stall the endpoints sharing the
 * partition. Resolves once the outcome (or deferral) is on Kafka: only then
 * may the request's offset be committed.
 */
export class DispatchRequest {
  /** Per endpoint, the release page being handed back to the hold (one entry per endpoint at most). */
  private readonly rehold = new Map<string, string>();

  constructor(
    private readonly endpoints: EndpointConfigs,
    private readonly attempt: Attempt,
    private readonly results: DispatchResults,
    private readonly limiter: EndpointLimiter,
    private readonly limits: AdmissionLimits,
    private readonly random: Random,
    private readonly logger: Logger,
  ) {
    observedLimiters.add(limiter);
  }

  async execute(request: DeliveryRequest, headers: Record<string, string>): Promise<'attempted' | 'deferred' | 'held'> {
    const key = request.endpointId;
    const current = await this.endpoints.get(key, request.endpointVersion);
    // A paused endpoint takes no slot and no place in its queue: the request goes straight to the hold.
    // A test send is not held: an operator may check a paused endpoint's receiver before resuming it.
    if (current?.state === 'paused' && modeOf(request) === 'live') return this.hold(request, headers, current.version);
    if (request.release && this.rehold.has(key)) {
      if (this.rehold.get(key) === request.release.page) return this.giveBack(request, headers);
      this.rehold.delete(key);
    }
    // The endpoint's limits as of now: a change applies from its next request on. Nothing is sent to a deleted or
    // disabled endpoint, so its limits would only delay ending the request.
    const sends = current !== undefined && current.enabled;
    this.limiter.configure(key, sends ? { maxInFlight: current.maxInFlight, rateLimit: current.rateLimit } : { maxInFlight: null, rateLimit: null });
    // A test send is answered to an operator who waits for it: the rate limit does not hold it back.
    const rateExempt = modeOf(request) === 'test';
    this.shedBacklog([key]);
    const admission = admit(this.limiter.load(key, rateExempt), this.limitsOf(key), (request.deferrals ?? 0) > 0);
    // A request released from a hold goes back to it rather than being deferred: a deferral would lose its place.
    if (admission.action === 'defer') return request.release ? this.giveBack(request, headers) : this.defer(request, headers, admission.reason);
    const parent = contextFromHeaders(headers);
    const run = async () => {
      const span = tracer().startSpan(
        'dispatch',
        { kind: SpanKind.CONSUMER, attributes: { 'hookline.delivery_id': request.deliveryId, 'hookline.attempt': request.attempt } },
        parent,
      );
      try {
        // It may have changed while the request waited for its slot; the view only moves forward, so its latest is
        // at least the version read above (and a deleted endpoint never comes back).
        const config = current && this.endpoints.latest(key);
        // Paused while the request waited for a slot.
        if (config?.state === 'paused' && modeOf(request) === 'live') return { held: true as const, heldAt: config.version };
        const result = await this.attempt.execute(request, config, trace.setSpan(otelContext.active(), span));
        // The outcome continues the trace from the attempt itself (what the endpoint saw as traceparent).
        const traceparent = result.requestHeaders.traceparent;
        return { held: false as const, outcome: result, outcomeHeaders: traceparent ? { traceparent } : traceHeaders(span) };
      } finally {
        span.end();
      }
    };
    const ran = await this.limiter.run(key, run, { rateExempt });
    if (!ran.ran) {
      if (request.release) return this.giveBack(request, headers);
      return ran.rateDelayMs === null ? this.defer(request, headers, 'endpoint_backlog') : this.defer(request, headers, 'rate_limit', ran.rateDelayMs);
    }
    if (ran.value.held) return this.hold(request, headers, ran.value.heldAt);
    const { outcome, outcomeHeaders } = ran.value;
    await this.results.send(AttemptsCompletedTopic, [{ value: outcome, headers: { ...headersOfOutcome(outcome), ...outcomeHeaders } }]);
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

  /**
   * Gives back the waiting requests (of `endpointIds`, or of every endpoint)
   * that can no longer expect to start within the wait bound, as the
   * endpoint's observed attempt time grew: each is then deferred by the
   * `execute` that queued it. Returns how many.
   */
  shedBacklog(endpointIds?: Iterable<string>): number {
    return this.limiter.shed((key, load) => queueRoom(load, this.limitsOf(key)), endpointIds);
  }

  /** At stop: requests still waiting are handed back uncommitted at once; only attempts in flight are awaited. */
  abandonWaiting(): number {
    return this.limiter.abandon();
  }

  /** The dispatcher's limits with the endpoint's own cap. */
  private limitsOf(key: string): AdmissionLimits {
    return { ...this.limits, concurrency: this.limiter.concurrencyOf(key) };
  }

  /**
   * Hands the request to the retry-scheduler's hold, untried: the same attempt
   * and deferral count (a hold costs no retry), released in creation order
   * once the endpoint's state at `version` or later is no longer paused.
   */
  private async hold(
    request: DeliveryRequest,
    headers: Record<string, string>,
    version: number,
    reason: 'paused' | 'release_backlog' = 'paused',
  ): Promise<'held'> {
    await this.results.send(DeliveriesDeferredTopic, [{ value: { request, delayMs: 0, reason, heldAtVersion: version }, headers }]);
    deferrals.inc({ reason });
    return 'held';
  }

  /**
   * A request released from a hold that its endpoint cannot queue goes back
   * to the hold at its place, and so does the rest of its page (a later one
   * queued before it would be sent first); the next page starts with them.
   */
  private giveBack(request: DeliveryRequest & { release?: { page: string } }, headers: Record<string, string>): Promise<'held'> {
    if (request.release) this.rehold.set(request.endpointId, request.release.page);
    return this.hold(request, headers, 0, 'release_backlog');
  }

  /**
   * Parks the request with the retry-scheduler, same attempt. Deferred for
   * the rate limit, it comes back shortly before its token is due, one token
   * after the one deferred before it (so they return at the rate, in order);
   * otherwise after its endpoint's drain time, growing per deferral. A request
   * given back while waiting comes with its delay (`rateDelayMs`), placed when it was.
   */
  private async defer(request: DeliveryRequest, headers: Record<string, string>, reason: DeferralReason, rateDelayMs?: number): Promise<'deferred'> {
    const key = request.endpointId;
    const load = this.limiter.load(key);
    const earlier = request.deferrals ?? 0;
    const delayMs =
      reason === 'rate_limit'
        ? (rateDelayMs ?? this.limiter.deferForRate(key))
        : deferralDelayMs({ held: load.active + load.queued, attemptMs: load.attemptMs, concurrency: this.limiter.concurrencyOf(key) }, earlier, this.random);
    await this.results.send(DeliveriesDeferredTopic, [{ value: { request: { ...request, deferrals: earlier + 1 }, delayMs, reason }, headers }]);
    deferrals.inc({ reason });
    deferralDelay.observe(delayMs / 1000);
    return 'deferred';
  }
}
