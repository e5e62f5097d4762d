import {
  attemptIdFor,
  deliveryBody,
  type AttemptOutcome,
  type AttemptResponse,
  type DeliveryRequest,
  type EndpointConfig,
  type UnansweredFailureKind,
} from '@hookline/contracts';
import { retryAfterOf, retryScheduleOf } from '@hookline/retry-policy';
import { SIGNATURE_HEADERS } from '@hookline/signing';
import { SpanKind, SpanStatusCode, traceparentOf, tracer, type Context } from '@hookline/telemetry';
import { SendError, type HttpSender } from '../http/http-sender';

/** The signature headers, or why nothing can be signed (nothing is sent then). */
export type SignResult =
  { ok: true; headers: Record<string, string> } | { ok: false; kind: Extract<UnansweredFailureKind, 'key_unavailable' | 'no_valid_secret'>; message: string };

/** Signs the delivery body with every scheme the endpoint chose, from its (sealed) key material. */
export interface Signer {
  sign(endpoint: EndpointConfig, message: { id: string; timestamp: number; body: string; at: Date }): SignResult;
}

export interface Clock {
  now(): Date;
}

/** Headers Hookline sets, signature headers of every scheme included; an endpoint's custom headers cannot replace them. */
const RESERVED = new Set([
  ...Object.values(SIGNATURE_HEADERS),
  ...['content-type', 'x-hookline-event', 'x-hookline-delivery', 'idempotency-key', 'traceparent', 'tracestate', 'host', 'content-length'],
]);

/**
 * One attempt of one delivery: sign the exact body, POST it, and describe what
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
    const unsent = {
      attemptId: attemptIdFor(request.deliveryId, request.attempt),
      request,
      startedAt: started.toISOString(),
      requestHeaders: {},
      durationMs: 0,
    };
    if (!endpoint) return { ...unsent, url: '', ...unanswered('endpoint_missing', 'the endpoint was deleted') };
    // The retry-scheduler retries by the policy the endpoint has now, at this attempt, whatever it is changed to later.
    const base = endpoint.retryPolicy ? { ...unsent, retrySchedule: retryScheduleOf(endpoint.retryPolicy) } : unsent;
    if (!endpoint.enabled) return { ...base, url: endpoint.url, ...unanswered('endpoint_disabled', 'the endpoint is disabled') };
    const body = deliveryBody(request.event);
    const timestamp = Math.floor(started.getTime() / 1000);
    const signed = this.signer.sign(endpoint, { id: request.event.id, timestamp, body, at: started });
    if (!signed.ok) return { ...base, url: endpoint.url, ...unanswered(signed.kind, signed.message) };

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
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(endpoint.headers)) if (!RESERVED.has(name.toLowerCase())) headers[name] = value;
    Object.assign(headers, signed.headers, {
      'content-type': 'application/json',
      'x-hookline-event': request.event.type,
      'x-hookline-delivery': request.deliveryId,
      'idempotency-key': request.deliveryId,
      traceparent: traceparentOf(span),
    });

    let answer: { response: AttemptResponse } | { kind: UnansweredFailureKind; message: string };
    try {
      const {
        status,
        headers: responseHeaders,
        body: responseBody,
        bodyTruncated,
      } = await this.http.post({ url: endpoint.url, headers, body, timeoutMs: endpoint.timeoutMs });
      answer = { response: { status, headers: responseHeaders, body: responseBody, bodyTruncated } };
    } catch (error) {
      answer = error instanceof SendError ? { kind: error.kind, message: error.message } : { kind: 'network', message: (error as Error).message };
    }
    const finished = this.clock.now();
    const attempted = { ...base, url: endpoint.url, requestHeaders: headers, durationMs: finished.getTime() - started.getTime() };
    const outcome: AttemptOutcome =
      'response' in answer ? { ...attempted, ...answered(answer.response, finished) } : { ...attempted, ...unanswered(answer.kind, answer.message) };
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

function unanswered(kind: UnansweredFailureKind, message: string) {
  return { succeeded: false as const, failure: { kind, message }, response: null, retryAfterSeconds: null };
}
