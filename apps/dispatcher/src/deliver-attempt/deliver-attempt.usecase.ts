import {
  attemptIdFor,
  attemptOutcome,
  messageIdOf,
  modeOf,
  type AttemptFacts,
  type AttemptOutcome,
  type AttemptResponse,
  type DeliveryRequest,
  type EndpointConfig,
  unansweredFields,
} from '@hookline/contracts';
import { sendOnce, type HttpSender } from '@hookline/egress';
import { retryAfterOf, retryScheduleOf } from '@hookline/retry-policy';
import { buildDeliveryRequest, type SigningSchemes } from '@hookline/signing';
import { SpanKind, SpanStatusCode, traceparentOf, tracer, type Context } from '@hookline/telemetry';

/** The signature schemes of an attempt with the endpoint's (sealed) key material opened, or why nothing can be signed (nothing is sent then). */
export interface Signer {
  schemes(endpoint: EndpointConfig, at: Date): SigningSchemes;
}

export interface Clock {
  now(): Date;
}

/**
 * One attempt of one delivery: build its signed request (with the function
 * admin-api previews and test-sends with), POST it, and describe what
 * happened as an attempt outcome. Never throws for anything the endpoint or
 * the network did; every such thing is an outcome.
 */
export class DeliverAttempt {
  constructor(
    private readonly http: HttpSender,
    private readonly signer: Signer,
    private readonly clock: Clock = { now: () => new Date() },
  ) {}

  async execute(request: DeliveryRequest, endpoint: EndpointConfig | undefined, parent: Context): Promise<AttemptOutcome> {
    const started = this.clock.now();
    const attemptId = attemptIdFor(request.deliveryId, request.attempt);
    const unsent: AttemptFacts = { url: '', startedAt: started.toISOString(), requestHeaders: {}, durationMs: 0 };
    if (!endpoint) return attemptOutcome(attemptId, request, unsent, unansweredFields('endpoint_missing', 'the endpoint was deleted'));
    // The retry-scheduler retries by the policy the endpoint has now, at this attempt, whatever it is changed to later.
    const base: AttemptFacts = { ...unsent, url: endpoint.url, ...(endpoint.retryPolicy && { retrySchedule: retryScheduleOf(endpoint.retryPolicy) }) };
    if (!endpoint.enabled) return attemptOutcome(attemptId, request, base, unansweredFields('endpoint_disabled', 'the endpoint is disabled'));
    const signing = this.signer.schemes(endpoint, started);
    if (!signing.ok) return attemptOutcome(attemptId, request, base, unansweredFields(signing.kind, signing.message));

    const span = tracer().startSpan(
      `attempt ${request.attempt}`,
      {
        kind: SpanKind.CLIENT,
        startTime: started,
        attributes: {
          'hookline.tenant_id': request.tenantId,
          'hookline.event_id': request.event.id,
          'hookline.endpoint_id': endpoint.id,
          'hookline.delivery_id': request.deliveryId,
          'hookline.attempt': request.attempt,
          'http.request.method': 'POST',
          'url.full': endpoint.url,
        },
      },
      parent,
    );
    const { url, headers, body } = buildDeliveryRequest({
      endpoint,
      schemes: signing.schemes,
      ...(signing.chatUrl === undefined ? {} : { url: signing.chatUrl }),
      event: request.event,
      deliveryId: request.deliveryId,
      timestamp: Math.floor(started.getTime() / 1000),
      traceparent: traceparentOf(span),
      mode: modeOf(request),
      ...(request.body === undefined ? {} : { body: JSON.stringify(request.body) }),
      messageId: messageIdOf(request),
    });

    const answer = await sendOnce(this.http, { url, headers, body, timeoutMs: endpoint.timeoutMs });
    const finished = this.clock.now();
    const attempted: AttemptFacts = { ...base, requestHeaders: headers, durationMs: finished.getTime() - started.getTime() };
    const outcome = attemptOutcome(
      attemptId,
      request,
      attempted,
      'response' in answer ? answered(answer.response, finished) : unansweredFields(answer.kind, answer.message),
    );
    span.setAttribute('http.response.status_code', outcome.response?.status ?? 0);
    if (!outcome.succeeded) span.setStatus({ code: SpanStatusCode.ERROR, message: outcome.failure.message });
    span.end(finished);
    return outcome;
  }
}

/** An HTTP answer: 2xx succeeded, anything else failed with its status (and a `Retry-After` on 429/503). */
function answered(response: AttemptResponse, at: Date) {
  if (response.status >= 200 && response.status <= 299) return { succeeded: true as const, failure: null, response, retryAfterSeconds: null };
  return {
    succeeded: false as const,
    failure: { kind: 'http_status' as const, message: `endpoint answered ${response.status}` },
    response,
    retryAfterSeconds: retryAfterOf(response, at),
  };
}
