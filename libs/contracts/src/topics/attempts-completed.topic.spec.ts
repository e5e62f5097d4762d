import { attemptIdFor, type DeliveryId } from '../ids/ids';
import { AttemptOutcomeSchema, AttemptsCompletedTopic, attemptOutcome, isRefused, type AttemptOutcome } from './attempts-completed.topic';
import { DeliveryRequestSchema } from './deliveries-requested.topic';

const request = DeliveryRequestSchema.parse({
  deliveryId: '0d2f4c7e-1111-4222-8333-944455556666',
  tenantId: 'acme',
  endpointId: '5b7c7a0e-8a3c-4d0e-9a53-1f6f2a4e9c11',
  endpointVersion: 3,
  attempt: 2,
  reason: 'replay',
  chainStart: 2,
  replay: { by: 'key_1', at: '2026-11-22T11:00:00Z' },
  mode: 'live',
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
const attemptId = attemptIdFor(request.deliveryId as DeliveryId, 2);
const facts = { url: 'https://hooks.example.com/in', requestHeaders: { 'webhook-id': 'evt_1' }, startedAt: '2026-11-22T10:00:02Z', durationMs: 12 };
const response = (status: number) => ({ status, headers: {}, body: '', bodyTruncated: false });
const common = {
  attemptId,
  deliveryId: request.deliveryId,
  tenantId: 'acme',
  endpointId: request.endpointId,
  endpointVersion: 3,
  attempt: 2,
  event: { id: 'evt_1', type: 'invoice.paid', receivedAt: '2026-11-22T10:00:01Z' },
  ...facts,
};
const success = { succeeded: true, failure: null, response: response(204), retryAfterSeconds: null } as const;
const refusal = {
  succeeded: false,
  failure: { kind: 'http_status', message: 'endpoint answered 503' },
  response: response(503),
  retryAfterSeconds: 30,
} as const;
const timeout = { succeeded: false, failure: { kind: 'timeout', message: 'no answer' }, response: null, retryAfterSeconds: null } as const;

describe('AttemptOutcomeSchema (hookline.attempts.completed.v2)', () => {
  it('is the contract of the v2 topic, keyed by endpoint', () => {
    const outcome = attemptOutcome(attemptId, request, facts, success);
    expect(AttemptsCompletedTopic.name).toBe('hookline.attempts.completed.v2');
    expect(AttemptsCompletedTopic.key(outcome)).toBe(request.endpointId);
  });

  it('builds a success without the request or the event payload, with what the log and the failure run need', () => {
    const outcome = attemptOutcome(attemptId, request, facts, success);
    expect(AttemptOutcomeSchema.parse(outcome)).toEqual(outcome);
    expect(outcome).toEqual({ ...common, chainStart: 2, mode: 'live', replay: request.replay, ...success });
    expect(JSON.stringify(outcome)).not.toContain('4200');
  });

  it.each([
    ['a refusal', refusal],
    ['a timeout', timeout],
  ])('builds %s with the whole request, event payload included: the retry is issued from it', (_name, result) => {
    const outcome = attemptOutcome(attemptId, request, facts, result);
    expect(AttemptOutcomeSchema.parse(outcome)).toEqual(outcome);
    expect(outcome).toMatchObject({ ...common, ...result, request });
  });

  it('leaves out what the request leaves out (chain start, mode, replay)', () => {
    const { chainStart: _c, mode: _m, replay: _r, ...plain } = request;
    const outcome = attemptOutcome(attemptId, { ...plain, reason: 'initial' }, facts, success);
    expect(Object.keys(outcome)).not.toEqual(expect.arrayContaining(['chainStart']));
    expect(['chainStart', 'mode', 'replay'].filter((k) => k in outcome)).toEqual([]);
  });

  it.each([
    ['a success', { ...common, ...success }],
    ['a refusal with its request', { ...common, ...refusal, request }],
    ['a timeout with its request', { ...common, ...timeout, request }],
  ])('reads %s', (_name, value) => {
    expect(AttemptOutcomeSchema.safeParse(value).success).toBe(true);
  });

  it.each([
    ['a refusal without its request', { ...common, ...refusal }],
    ['a timeout without its request', { ...common, ...timeout }],
    ['a success with a failure', { ...common, ...success, failure: { kind: 'timeout', message: '' } }],
    ['a success without a response', { ...common, ...success, response: null }],
    ['a success with a 500', { ...common, ...success, response: response(500) }],
    ['a status failure without a response', { ...common, ...refusal, response: null, request }],
    ['a status failure with a 200', { ...common, ...refusal, response: response(200), request }],
    ['a timeout with a response', { ...common, ...timeout, response: response(502), request }],
    ['a failure of no kind', { ...common, ...timeout, failure: null, request }],
    ['a Retry-After without an answer', { ...common, ...timeout, retryAfterSeconds: 5, request }],
    ['an attempt id that is not a UUID', { ...common, ...success, attemptId: 'a1' }],
    ['an attempt 0', { ...common, ...success, attempt: 0 }],
    ['an event without its type', { ...common, ...success, event: { id: 'evt_1', receivedAt: '2026-11-22T10:00:01Z' } }],
    ['a mode of no kind', { ...common, ...success, mode: 'dry-run' }],
  ])('refuses %s', (_name, value) => {
    expect(AttemptOutcomeSchema.safeParse(value).success).toBe(false);
  });

  it('does not compile the impossible outcomes either', () => {
    const { succeeded: _s, failure: _f, response: _r, retryAfterSeconds: _a, ...fields } = attemptOutcome(attemptId, request, facts, success);
    const possible: AttemptOutcome[] = [
      { ...fields, ...success },
      { ...fields, ...refusal, request },
      { ...fields, ...timeout, request },
    ];
    // Each line below is a type error; the test fails to type-check if one stops being one.
    // @ts-expect-error a success carries no failure
    const a: AttemptOutcome = { ...fields, ...success, failure: { kind: 'timeout', message: '' } };
    // @ts-expect-error a status failure carries its response
    const b: AttemptOutcome = { ...fields, ...refusal, response: null, request };
    // @ts-expect-error a failure carries its request
    const c: AttemptOutcome = { ...fields, ...timeout };
    expect([...possible, a, b, c].map(isRefused)).toEqual([false, true, false, false, true, false]);
  });

  it("carries an endpoint's own waits, and refuses waits that are not whole milliseconds", () => {
    const outcome = attemptOutcome(attemptId, request, { ...facts, retrySchedule: [1000, 2000] }, refusal);
    expect(AttemptOutcomeSchema.parse(outcome).retrySchedule).toEqual([1000, 2000]);
    expect('retrySchedule' in attemptOutcome(attemptId, request, facts, refusal)).toBe(false);
    for (const retrySchedule of [[-1], [1.5], '1s']) expect(AttemptOutcomeSchema.safeParse({ ...outcome, retrySchedule }).success).toBe(false);
  });
});
