import {
  AttemptOutcomeSchema,
  attemptOutcome,
  DeliveryRequestSchema,
  type AttemptOutcome,
  type AttemptResultFields,
  type DeliveryRequest,
  type UnansweredFailureKind,
} from '@hookline/contracts';

// Outcomes for the policy's specs (libs/testing cannot be used here: apps
// depend on this library, and Nx counts a spec's imports as the library's).
// Only the fields the policy reads vary; each is parsed by the contract.
const requestFor = (attempt: number, fields: Partial<DeliveryRequest> = {}): DeliveryRequest =>
  DeliveryRequestSchema.parse({
    deliveryId: '0d2f4c7e-1111-4222-8333-944455556666',
    tenantId: 'acme',
    endpointId: '5b7c7a0e-8a3c-4d0e-9a53-1f6f2a4e9c11',
    endpointVersion: 1,
    attempt,
    reason: attempt === 1 ? 'initial' : 'retry',
    requestedAt: '2026-11-22T10:00:00Z',
    event: { id: 'evt_1', tenantId: 'acme', type: 'invoice.paid', data: {}, occurredAt: '2026-11-22T10:00:00Z', receivedAt: '2026-11-22T10:00:00Z' },
    ...fields,
  });

function outcome(attempt: number, result: AttemptResultFields, request: DeliveryRequest = requestFor(attempt)): AttemptOutcome {
  const facts = { url: 'https://hooks.example.com/in', requestHeaders: {}, startedAt: '2026-11-22T10:00:00Z', durationMs: 10 };
  return AttemptOutcomeSchema.parse(attemptOutcome('9e0f1a2b-3c4d-4e5f-8a6b-7c8d9e0f1a2b' as AttemptOutcome['attemptId'], request, facts, result));
}

const response = (status: number) => ({ status, headers: {}, body: '', bodyTruncated: false });

/** The same outcome in a replayed chain that started at `chainStart`. */
export const inChain = (o: AttemptOutcome, chainStart: number): AttemptOutcome => {
  const { succeeded, failure, response, retryAfterSeconds } = o;
  const request = requestFor(o.attempt, { reason: 'replay', chainStart, replay: { by: 'key_1', at: '2026-11-22T11:00:00Z' } });
  return AttemptOutcomeSchema.parse({
    ...outcome(o.attempt, { succeeded, failure, response, retryAfterSeconds } as AttemptResultFields, request),
    ...(o.retrySchedule && { retrySchedule: o.retrySchedule }),
  });
};

export const succeeded = (attempt: number) => outcome(attempt, { succeeded: true, failure: null, response: response(200), retryAfterSeconds: null });

export const refused = (attempt: number, status: number, retryAfterSeconds: number | null = null) =>
  outcome(attempt, {
    succeeded: false,
    failure: { kind: 'http_status', message: `endpoint answered ${status}` },
    response: response(status),
    retryAfterSeconds,
  });

export const unanswered = (attempt: number, kind: UnansweredFailureKind) =>
  outcome(attempt, { succeeded: false, failure: { kind, message: kind }, response: null, retryAfterSeconds: null });
