import { attemptIdFor, deliveryBody, type AttemptOutcome, type DeliveryRequest, type EndpointConfig, type FailureKind } from '@hookline/contracts';
import { SIGNATURE_HEADERS } from '@hookline/signing';
import { SpanKind, SpanStatusCode, traceparentOf, tracer, type Context } from '@hookline/telemetry';
import { SendError, type HttpSender, type InboundResponse } from '../http/http-sender';
import type { EndpointSigner } from '../signing/endpoint-signer';
import { parseRetryAfter } from './retry-after';

/** Headers Hookline sets, signature headers of every scheme included; an endpoint's custom headers cannot replace them. */
const RESERVED = new Set([
  ...Object.values(SIGNATURE_HEADERS),
  ...['content-type', 'x-hookline-event', 'x-hookline-delivery', 'idempotency-key', 'traceparent', 'tracestate', 'host', 'content-length'],
]);

export interface Clock {
  now(): Date;
}

/**
 * One attempt of one delivery: sign the exact body, POST it, and describe what
 * happened as an attempt outcome. Never throws for anything the endpoint or
 * the network did; every such thing is an outcome.
 */
export class DeliverAttempt {
  constructor(
    private readonly http: HttpSender,
    private readonly signer: EndpointSigner,
    private readonly clock: Clock = { now: () => new Date() },
  ) {}

  async execute(request: DeliveryRequest, endpoint: EndpointConfig | undefined, parent: Context): Promise<AttemptOutcome> {
    const started = this.clock.now();
    const base = { attemptId: attemptIdFor(request.deliveryId, request.attempt), request, startedAt: started.toISOString() };
    if (!endpoint) return { ...base, ...failed('endpoint_missing', 'the endpoint was deleted'), url: '', requestHeaders: {}, durationMs: 0 };
    if (!endpoint.enabled) return { ...base, ...failed('endpoint_disabled', 'the endpoint is disabled'), url: endpoint.url, requestHeaders: {}, durationMs: 0 };
    const body = deliveryBody(request.event);
    const timestamp = Math.floor(started.getTime() / 1000);
    const signed = this.signer.sign(endpoint, { id: request.event.id, timestamp, body, at: started });
    if (!signed.ok) return { ...base, ...failed(signed.kind, signed.message), url: endpoint.url, requestHeaders: {}, durationMs: 0 };

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

    let response: InboundResponse | null = null;
    let failure: AttemptOutcome['failure'] = null;
    try {
      response = await this.http.post({ url: endpoint.url, headers, body, timeoutMs: endpoint.timeoutMs });
      if (response.status < 200 || response.status > 299) failure = { kind: 'http_status', message: `endpoint answered ${response.status}` };
    } catch (error) {
      failure = error instanceof SendError ? { kind: error.kind, message: error.message } : { kind: 'network', message: (error as Error).message };
    }
    const finished = this.clock.now();
    span.setAttribute('http.response.status_code', response?.status ?? 0);
    if (failure) span.setStatus({ code: SpanStatusCode.ERROR, message: failure.message });
    span.end(finished);

    const retryAfter = response && (response.status === 429 || response.status === 503) ? parseRetryAfter(response.headers['retry-after'], finished) : null;
    return {
      ...base,
      url: endpoint.url,
      succeeded: failure === null,
      failure,
      requestHeaders: headers,
      response: response && { status: response.status, headers: response.headers, body: response.body, bodyTruncated: response.bodyTruncated },
      retryAfterSeconds: retryAfter,
      durationMs: finished.getTime() - started.getTime(),
    };
  }
}

function failed(kind: FailureKind, message: string) {
  return { succeeded: false, failure: { kind, message }, response: null, retryAfterSeconds: null };
}
