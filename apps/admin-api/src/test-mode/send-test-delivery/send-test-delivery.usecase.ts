import {
  attemptIdFor,
  attemptOutcome,
  AttemptsCompletedTopic,
  headersOfOutcome,
  messageIdOf,
  type AttemptFacts,
  type AttemptOutcome,
  type AttemptResponse,
  type DeliveryRequest,
  type EndpointId,
  type TenantId,
  unansweredFields,
} from '@hookline/contracts';
import { sendOnce, type HttpSender } from '@hookline/egress';
import { notFound } from '@hookline/service-kit';
import { buildDeliveryRequest, KEY_UNAVAILABLE_MESSAGE, signingSchemes, type KeyMaterial } from '@hookline/signing';
import { context, SpanKind, SpanStatusCode, traceparentOf, tracer } from '@hookline/telemetry';
import type { Logger } from 'pino';
import type { EndpointEntity } from '../../endpoints/endpoint.entity';
import type { Clock, EndpointStore } from '../../endpoints/endpoint.ports';
import { eventFor, type SampleEvent } from '../test-event';
import type { AttemptsTopic, KeyMaterialOpener, TestEventIds } from '../test-mode.ports';

/**
 * One test delivery of the sample event to the endpoint, now: built by the
 * dispatcher's own function, signed with the endpoint's real secrets and keys,
 * marked `x-hookline-test: true`, sent through the same SSRF-safe egress
 * within the endpoint's timeout, whatever the endpoint's state (a test before
 * enabling it again is the point). The outcome goes on the attempts topic with
 * mode `test`, so log-store keeps it apart from live deliveries and the
 * retry-scheduler never retries it; it is also the answer.
 */
export class SendTestDelivery {
  constructor(
    private readonly endpoints: Pick<EndpointStore, 'findLive'>,
    private readonly keys: KeyMaterialOpener,
    private readonly http: HttpSender,
    private readonly attempts: AttemptsTopic,
    private readonly clock: Clock,
    private readonly ids: TestEventIds,
    private readonly logger: Logger,
  ) {}

  async execute(tenantId: TenantId, id: EndpointId, sample: SampleEvent): Promise<AttemptOutcome> {
    const endpoint = await this.endpoints.findLive(tenantId, id);
    if (!endpoint) throw notFound(`endpoint ${id}`);
    const started = this.clock.now();
    const { event, deliveryId } = eventFor(endpoint, sample, this.ids(), started, started);
    const request: DeliveryRequest = {
      deliveryId,
      tenantId,
      endpointId: endpoint.id,
      endpointVersion: endpoint.version,
      attempt: 1,
      reason: 'initial',
      requestedAt: started.toISOString(),
      mode: 'test',
      event,
    };
    return this.send(endpoint, request);
  }

  /**
   * Sends one test request (mode `test`) to the endpoint now and logs its
   * outcome apart: a test send's, or a rule's live trial with the rule and its
   * transformed body on the request.
   */
  async send(endpoint: EndpointEntity, request: DeliveryRequest): Promise<AttemptOutcome> {
    const outcome = await this.attempt(endpoint, request, this.clock.now());
    await this.attempts.send(AttemptsCompletedTopic, [{ value: outcome, headers: headersOfOutcome(outcome) }]);
    this.logger.info(
      {
        tenantId: request.tenantId,
        endpointId: endpoint.id,
        eventId: request.event.id,
        deliveryId: request.deliveryId,
        ruleId: request.rule?.id,
        succeeded: outcome.succeeded,
        failureKind: outcome.failure?.kind ?? null,
      },
      'test delivery sent',
    );
    return outcome;
  }

  private async attempt(endpoint: EndpointEntity, request: DeliveryRequest, started: Date): Promise<AttemptOutcome> {
    const attemptId = attemptIdFor(request.deliveryId, request.attempt);
    const unsent: AttemptFacts = { url: endpoint.url, startedAt: started.toISOString(), requestHeaders: {}, durationMs: 0 };
    let material: KeyMaterial;
    try {
      material = this.keys.openKeyMaterial(endpoint);
    } catch (err) {
      this.logger.error({ err, endpointId: endpoint.id }, 'a secret or private key of an endpoint does not open with the master key');
      return attemptOutcome(attemptId, request, unsent, unansweredFields('key_unavailable', KEY_UNAVAILABLE_MESSAGE));
    }
    const signing = signingSchemes(endpoint, material, started);
    if (!signing.ok) return attemptOutcome(attemptId, request, unsent, unansweredFields(signing.kind, signing.message));

    const span = tracer().startSpan(
      'test attempt',
      {
        kind: SpanKind.CLIENT,
        startTime: started,
        attributes: {
          'hookline.tenant_id': request.tenantId,
          'hookline.event_id': request.event.id,
          'hookline.endpoint_id': endpoint.id,
          'hookline.delivery_id': request.deliveryId,
          'hookline.mode': 'test',
          'http.request.method': 'POST',
          'url.full': endpoint.url,
        },
      },
      context.active(),
    );
    const { url, headers, body } = buildDeliveryRequest({
      endpoint,
      schemes: signing.schemes,
      ...(signing.chatUrl === undefined ? {} : { url: signing.chatUrl }),
      event: request.event,
      deliveryId: request.deliveryId,
      timestamp: Math.floor(started.getTime() / 1000),
      traceparent: traceparentOf(span),
      mode: 'test',
      ...(request.body === undefined ? {} : { body: JSON.stringify(request.body) }),
      messageId: messageIdOf(request),
    });
    const answer = await sendOnce(this.http, { url, headers, body, timeoutMs: endpoint.timeoutMs });
    const finished = this.clock.now();
    const attempted: AttemptFacts = { ...unsent, requestHeaders: headers, durationMs: finished.getTime() - started.getTime() };
    const outcome = attemptOutcome(
      attemptId,
      request,
      attempted,
      'response' in answer ? answered(answer.response) : unansweredFields(answer.kind, answer.message),
    );
    span.setAttribute('http.response.status_code', outcome.response?.status ?? 0);
    if (!outcome.succeeded) span.setStatus({ code: SpanStatusCode.ERROR, message: outcome.failure.message });
    span.end(finished);
    return outcome;
  }
}

/** 2xx succeeded; anything else failed with its status. A test send is never retried, so no `Retry-After` is read. */
function answered(response: AttemptResponse) {
  if (response.status >= 200 && response.status <= 299) return { succeeded: true as const, failure: null, response, retryAfterSeconds: null };
  return {
    succeeded: false as const,
    failure: { kind: 'http_status' as const, message: `endpoint answered ${response.status}` },
    response,
    retryAfterSeconds: null,
  };
}
