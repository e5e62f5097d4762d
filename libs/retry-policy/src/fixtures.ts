import type { AttemptOutcome, AttemptRefused, AttemptUnanswered, DeliveryRequest, UnansweredFailureKind } from '@hookline/contracts';

// Outcomes for the policy's tests: only the fields the policy reads vary.
const request = (attempt: number) => ({ attempt }) as DeliveryRequest;
const base = { attemptId: '', url: '', requestHeaders: {}, startedAt: '', durationMs: 0 } as unknown as Omit<
  AttemptOutcome,
  'succeeded' | 'failure' | 'response' | 'retryAfterSeconds' | 'request'
>;

export function succeeded(attempt: number): AttemptOutcome {
  return {
    ...base,
    request: request(attempt),
    succeeded: true,
    failure: null,
    response: { status: 200, headers: {}, body: '', bodyTruncated: false },
    retryAfterSeconds: null,
  };
}

export function refused(attempt: number, status: number, retryAfterSeconds: number | null = null): AttemptRefused {
  return {
    ...base,
    request: request(attempt),
    succeeded: false,
    failure: { kind: 'http_status', message: `endpoint answered ${status}` },
    response: { status, headers: {}, body: '', bodyTruncated: false },
    retryAfterSeconds,
  };
}

export function unanswered(attempt: number, kind: UnansweredFailureKind): AttemptUnanswered {
  return { ...base, request: request(attempt), succeeded: false, failure: { kind, message: kind }, response: null, retryAfterSeconds: null };
}
