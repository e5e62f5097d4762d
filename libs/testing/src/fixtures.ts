import {
  attemptIdFor,
  attemptOutcome,
  AttemptOutcomeSchema,
  DeliveryRequestSchema,
  EndpointConfigSchema,
  EventEnvelopeSchema,
  type AttemptOutcome,
  type DeliveryRequest,
  type EndpointConfig,
  type EventEnvelope,
} from '@hookline/contracts';

/*
 * Valid contract values for tests, each parsed by its own schema (so a fixture
 * that drifts from the contract fails loudly), with the fields a test cares
 * about given as overrides.
 */

export const FIXTURE_TIME = '2026-11-22T10:00:00.000Z';
export const FIXTURE_ENDPOINT_ID = '5b7c7a0e-8a3c-4d0e-9a53-1f6f2a4e9c11';

/** The delivery id numbered `n`: distinct, stable UUIDs for tests. */
export const deliveryIdNumber = (n: number) => `0d2f4c7e-1111-4222-8333-${String(n).padStart(12, '0')}`;

export function anEvent(overrides: Record<string, unknown> = {}): EventEnvelope {
  return EventEnvelopeSchema.parse({
    id: 'evt_1',
    tenantId: 'acme',
    type: 'invoice.paid',
    data: {},
    occurredAt: FIXTURE_TIME,
    receivedAt: FIXTURE_TIME,
    ...overrides,
  });
}

export function anEndpointConfig(overrides: Record<string, unknown> = {}): EndpointConfig {
  return EndpointConfigSchema.parse({
    id: FIXTURE_ENDPOINT_ID,
    tenantId: 'acme',
    url: 'https://hooks.example.com/in',
    description: '',
    eventTypes: ['*'],
    secrets: [],
    headers: {},
    enabled: true,
    timeoutMs: 10_000,
    version: 1,
    updatedAt: FIXTURE_TIME,
    ...overrides,
  });
}

/** Delivery request `n` (its delivery id is `deliveryIdNumber(n)`, its event `evt_<n>`). */
export function aDeliveryRequest(n = 1, overrides: Record<string, unknown> = {}): DeliveryRequest {
  const attempt = (overrides.attempt as number | undefined) ?? 1;
  return DeliveryRequestSchema.parse({
    deliveryId: deliveryIdNumber(n),
    tenantId: 'acme',
    endpointId: FIXTURE_ENDPOINT_ID,
    endpointVersion: 1,
    attempt,
    reason: attempt === 1 ? 'initial' : 'retry',
    requestedAt: FIXTURE_TIME,
    event: anEvent({ id: `evt_${n}` }),
    ...overrides,
  });
}

/**
 * The outcome of `request`'s attempt `attempt`: a 2xx succeeds, another status
 * is refused with that answer, null is a timeout.
 */
export function anOutcome(request: DeliveryRequest, attempt: number, status: number | null, overrides: Record<string, unknown> = {}): AttemptOutcome {
  const ok = status !== null && status >= 200 && status < 300;
  const facts = { url: 'https://hooks.example.com/in', requestHeaders: {}, startedAt: FIXTURE_TIME, durationMs: 10 };
  const response = status === null ? null : { status, headers: {}, body: 'ok', bodyTruncated: false };
  const result = ok
    ? { succeeded: true as const, failure: null, response: response!, retryAfterSeconds: null }
    : status === null
      ? {
          succeeded: false as const,
          failure: { kind: 'timeout' as const, message: 'no complete answer within 10000 ms' },
          response: null,
          retryAfterSeconds: null,
        }
      : {
          succeeded: false as const,
          failure: { kind: 'http_status' as const, message: `endpoint answered ${status}` },
          response: response!,
          retryAfterSeconds: null,
        };
  const outcome = attemptOutcome(attemptIdFor(request.deliveryId, attempt), { ...request, attempt }, facts, result);
  return AttemptOutcomeSchema.parse({ ...outcome, ...overrides });
}
