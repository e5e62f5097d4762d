import { attemptIdFor, type DeliveryId } from '../ids/ids';
import { AttemptOutcomeSchema } from './attempts-completed.topic';
import { AttemptOutcomeV1Schema, AttemptsCompletedV1Topic, outcomeFromV1 } from './attempts-completed-v1.topic';
import { DeliveryRequestSchema } from './deliveries-requested.topic';

// A v1 outcome exactly as the topic carried it: the whole request, event payload included, on every outcome.
const request = DeliveryRequestSchema.parse({
  deliveryId: '0d2f4c7e-1111-4222-8333-944455556666',
  tenantId: 'acme',
  endpointId: '5b7c7a0e-8a3c-4d0e-9a53-1f6f2a4e9c11',
  endpointVersion: 4,
  attempt: 3,
  reason: 'retry',
  deferrals: 1,
  requestedAt: '2026-11-22T10:00:00Z',
  event: {
    id: 'evt_1',
    tenantId: 'acme',
    type: 'invoice.paid',
    data: { amount: 4200 },
    occurredAt: '2026-11-22T10:00:00Z',
    receivedAt: '2026-11-22T10:00:01Z',
  },
});
const v1 = {
  attemptId: attemptIdFor(request.deliveryId as DeliveryId, 3),
  request,
  url: 'https://hooks.example.com/in',
  requestHeaders: { 'webhook-id': 'evt_1' },
  startedAt: '2026-11-22T10:00:02Z',
  durationMs: 12,
  retrySchedule: [1000, 2000, 4000],
};
const response = (status: number) => ({ status, headers: { 'x-a': 'b' }, body: 'no', bodyTruncated: false });

describe('hookline.attempts.completed.v1', () => {
  it('keeps its name and key: outcomes left on it at an upgrade are still read', () => {
    const success = AttemptOutcomeV1Schema.parse({ ...v1, succeeded: true, failure: null, response: response(200), retryAfterSeconds: null });
    expect(AttemptsCompletedV1Topic.name).toBe('hookline.attempts.completed.v1');
    expect(AttemptsCompletedV1Topic.key(success)).toBe(request.endpointId);
  });

  it.each([
    ['a success without its request', { ...v1, request: undefined, succeeded: true, failure: null, response: response(200), retryAfterSeconds: null }],
    ['a success with a 500', { ...v1, succeeded: true, failure: null, response: response(500), retryAfterSeconds: null }],
    ['a timeout with a response', { ...v1, succeeded: false, failure: { kind: 'timeout', message: '' }, response: response(502), retryAfterSeconds: null }],
  ])('refuses %s, as it always did', (_name, value) => {
    expect(AttemptOutcomeV1Schema.safeParse(value).success).toBe(false);
  });
});

describe(outcomeFromV1.name, () => {
  it('turns a v1 success into a valid v2 success: the ids, attempt, event summary and answer, without the request', () => {
    const success = AttemptOutcomeV1Schema.parse({ ...v1, succeeded: true, failure: null, response: response(200), retryAfterSeconds: null });
    const common = outcomeFromV1(success);
    expect(AttemptOutcomeSchema.parse(common)).toEqual(common);
    expect(common).toEqual({
      attemptId: v1.attemptId,
      deliveryId: request.deliveryId,
      tenantId: 'acme',
      endpointId: request.endpointId,
      endpointVersion: 4,
      attempt: 3,
      event: { id: 'evt_1', type: 'invoice.paid', receivedAt: '2026-11-22T10:00:01Z' },
      url: v1.url,
      requestHeaders: v1.requestHeaders,
      startedAt: v1.startedAt,
      durationMs: 12,
      retrySchedule: [1000, 2000, 4000],
      succeeded: true,
      failure: null,
      response: response(200),
      retryAfterSeconds: null,
    });
  });

  it('turns a v1 failure into a valid v2 failure that keeps the whole request (the retry is issued from it)', () => {
    const refused = AttemptOutcomeV1Schema.parse({
      ...v1,
      request: { ...request, mode: 'live', chainStart: 2, replay: { by: 'key_1', at: '2026-11-22T11:00:00Z' } },
      succeeded: false,
      failure: { kind: 'http_status', message: 'endpoint answered 503' },
      response: response(503),
      retryAfterSeconds: 30,
    });
    const common = outcomeFromV1(refused);
    expect(AttemptOutcomeSchema.parse(common)).toEqual(common);
    expect(common).toMatchObject({
      deliveryId: request.deliveryId,
      attempt: 3,
      chainStart: 2,
      mode: 'live',
      replay: { by: 'key_1' },
      failure: { kind: 'http_status' },
      retryAfterSeconds: 30,
      request: refused.request,
    });
  });
});
