import { attemptIdFor, type DeliveryId } from '../ids/ids';
import { headersOfOutcome, successFromHeaders, withoutOutcomeHeaders } from './attempt-outcome-headers';
import { attemptOutcome } from './attempts-completed.topic';
import { DeliveryRequestSchema } from './deliveries-requested.topic';

const ENDPOINT = '5b7c7a0e-8a3c-4d0e-9a53-1f6f2a4e9c11';
const request = (fields: Record<string, unknown> = {}) =>
  DeliveryRequestSchema.parse({
    deliveryId: '0d2f4c7e-1111-4222-8333-944455556666',
    tenantId: 'acme',
    endpointId: ENDPOINT,
    endpointVersion: 7,
    attempt: 1,
    reason: 'initial',
    requestedAt: '2026-11-22T10:00:00Z',
    event: { id: 'evt_1', tenantId: 'acme', type: 'invoice.paid', data: {}, occurredAt: '2026-11-22T10:00:00Z', receivedAt: '2026-11-22T10:00:00Z' },
    ...fields,
  });
const facts = { url: 'https://hooks.example.com/in', requestHeaders: {}, startedAt: '2026-11-22T10:00:00Z', durationMs: 3 };
const ok = { succeeded: true, failure: null, response: { status: 200, headers: {}, body: '', bodyTruncated: false }, retryAfterSeconds: null } as const;
const outcome = (fields: Record<string, unknown> = {}, result: Parameters<typeof attemptOutcome>[3] = ok) => {
  const r = request(fields);
  return attemptOutcome(attemptIdFor(r.deliveryId as DeliveryId, r.attempt), r, facts, result);
};

describe('outcome headers', () => {
  it('say what a success is, and read back as the same success', () => {
    const headers = headersOfOutcome(outcome());
    expect(headers).toEqual({
      'hookline-outcome': 'succeeded',
      'hookline-attempt': '1',
      'hookline-endpoint-version': '7',
      'hookline-mode': 'live',
      'hookline-event-type': 'invoice.paid',
    });
    expect(successFromHeaders(ENDPOINT, headers)).toEqual({ endpointId: ENDPOINT, endpointVersion: 7, attempt: 1, mode: 'live', eventType: 'invoice.paid' });
  });

  it('read a test send and a later attempt as what they are', () => {
    expect(successFromHeaders(ENDPOINT, headersOfOutcome(outcome({ mode: 'test' })))).toMatchObject({ mode: 'test', attempt: 1 });
    expect(successFromHeaders(ENDPOINT, headersOfOutcome(outcome({ attempt: 4, reason: 'retry' })))).toMatchObject({ attempt: 4 });
  });

  it('never describe a failure as a success', () => {
    const failed = outcome({}, { succeeded: false, failure: { kind: 'timeout', message: 'no answer' }, response: null, retryAfterSeconds: null });
    expect(headersOfOutcome(failed)['hookline-outcome']).toBe('failed');
    expect(successFromHeaders(ENDPOINT, headersOfOutcome(failed))).toBeUndefined();
  });

  it.each([
    ['no headers (a record from before them)', {}],
    ['an attempt 0', { 'hookline-attempt': '0' }],
    ['an attempt that is not a number', { 'hookline-attempt': '1x' }],
    ['a missing endpoint version', { 'hookline-endpoint-version': undefined }],
    ['a negative endpoint version', { 'hookline-endpoint-version': '-1' }],
    ['an unknown mode', { 'hookline-mode': 'dry-run' }],
    ['an event type that is not one', { 'hookline-event-type': '' }],
  ])('leave a record with %s to be read from its value', (_name, change) => {
    const headers = { ...headersOfOutcome(outcome()), ...change } as Record<string, string>;
    for (const [k, v] of Object.entries(headers)) if (v === undefined) delete headers[k];
    expect(successFromHeaders(ENDPOINT, Object.keys(change).length === 0 ? {} : headers)).toBeUndefined();
  });

  it('leave a record whose key is not an endpoint id to be read from its value', () => {
    expect(successFromHeaders('acme', headersOfOutcome(outcome()))).toBeUndefined();
    expect(successFromHeaders(null, headersOfOutcome(outcome()))).toBeUndefined();
  });

  it('are dropped from what rides on to a retry, the trace context kept', () => {
    expect(withoutOutcomeHeaders({ ...headersOfOutcome(outcome()), traceparent: 't' })).toEqual({ traceparent: 't' });
  });
});
