import { attemptIdFor, type DeliveryId } from '../ids/ids';
import { AttemptOutcomeSchema, isRefused, type AttemptOutcome } from './attempts-completed.topic';
import { DeliveryRequestSchema } from './deliveries-requested.topic';

const request = DeliveryRequestSchema.parse({
  deliveryId: '0d2f4c7e-1111-4222-8333-944455556666',
  tenantId: 'acme',
  endpointId: '5b7c7a0e-8a3c-4d0e-9a53-1f6f2a4e9c11',
  endpointVersion: 1,
  attempt: 1,
  reason: 'initial',
  requestedAt: '2026-11-22T10:00:00Z',
  event: { id: 'evt_1', tenantId: 'acme', type: 'invoice.paid', data: {}, occurredAt: '2026-11-22T10:00:00Z', receivedAt: '2026-11-22T10:00:00Z' },
});
const base = {
  attemptId: attemptIdFor(request.deliveryId as DeliveryId, 1),
  request,
  url: 'https://hooks.example.com/in',
  requestHeaders: {},
  startedAt: '2026-11-22T10:00:00Z',
  durationMs: 12,
};
const response = (status: number) => ({ status, headers: {}, body: '', bodyTruncated: false });

describe('AttemptOutcomeSchema', () => {
  it.each([
    ['a 2xx success', { succeeded: true, failure: null, response: response(204), retryAfterSeconds: null }],
    [
      'a refused attempt with its answer',
      { succeeded: false, failure: { kind: 'http_status', message: 'endpoint answered 503' }, response: response(503), retryAfterSeconds: 30 },
    ],
    ['a timeout without an answer', { succeeded: false, failure: { kind: 'timeout', message: 'no answer' }, response: null, retryAfterSeconds: null }],
  ])('reads %s: the JSON the topic always carried', (_name, fields) => {
    expect(AttemptOutcomeSchema.safeParse({ ...base, ...fields }).success).toBe(true);
  });

  it.each([
    ['a success with a failure', { succeeded: true, failure: { kind: 'timeout', message: '' }, response: response(200), retryAfterSeconds: null }],
    ['a success without a response', { succeeded: true, failure: null, response: null, retryAfterSeconds: null }],
    ['a success with a 500', { succeeded: true, failure: null, response: response(500), retryAfterSeconds: null }],
    ['a status failure without a response', { succeeded: false, failure: { kind: 'http_status', message: '' }, response: null, retryAfterSeconds: null }],
    ['a status failure with a 200', { succeeded: false, failure: { kind: 'http_status', message: '' }, response: response(200), retryAfterSeconds: null }],
    ['a timeout with a response', { succeeded: false, failure: { kind: 'timeout', message: '' }, response: response(502), retryAfterSeconds: null }],
    ['a failure of no kind', { succeeded: false, failure: null, response: null, retryAfterSeconds: null }],
    ['a Retry-After without an answer', { succeeded: false, failure: { kind: 'network', message: '' }, response: null, retryAfterSeconds: 5 }],
  ])('refuses %s', (_name, fields) => {
    expect(AttemptOutcomeSchema.safeParse({ ...base, ...fields }).success).toBe(false);
  });

  it('refuses an outcome with an attempt id that is not a UUID', () => {
    expect(
      AttemptOutcomeSchema.safeParse({ ...base, attemptId: 'a1', succeeded: true, failure: null, response: response(200), retryAfterSeconds: null }).success,
    ).toBe(false);
  });

  it('does not compile the impossible outcomes either', () => {
    // Each line below is a type error; the test fails to type-check if one stops being one.
    // @ts-expect-error a success carries no failure
    const a: AttemptOutcome = { ...base, succeeded: true, failure: { kind: 'timeout', message: '' }, response: response(200), retryAfterSeconds: null };
    // @ts-expect-error a status failure carries its response
    const b: AttemptOutcome = { ...base, succeeded: false, failure: { kind: 'http_status', message: '' }, response: null, retryAfterSeconds: null };
    // @ts-expect-error an unanswered failure carries no response
    const c: AttemptOutcome = { ...base, succeeded: false, failure: { kind: 'network', message: '' }, response: response(500), retryAfterSeconds: null };
    expect([a, b, c].map(isRefused)).toEqual([false, true, false]);
  });
});

describe('AttemptOutcomeSchema retrySchedule', () => {
  const failed = {
    ...base,
    succeeded: false,
    failure: { kind: 'http_status', message: 'endpoint answered 500' },
    response: response(500),
    retryAfterSeconds: null,
  };

  it("carries an endpoint's own waits, and outcomes from before policies stay valid without them", () => {
    expect(AttemptOutcomeSchema.parse({ ...failed, retrySchedule: [1000, 2000] }).retrySchedule).toEqual([1000, 2000]);
    expect('retrySchedule' in AttemptOutcomeSchema.parse(failed)).toBe(false);
  });

  it.each([[[-1]], [[1.5]], ['1s']])('refuses the waits %j', (retrySchedule) => {
    expect(AttemptOutcomeSchema.safeParse({ ...failed, retrySchedule }).success).toBe(false);
  });
});
