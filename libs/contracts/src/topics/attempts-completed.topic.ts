import { z } from 'zod';
import { DeliveryRequestSchema } from './deliveries-requested.topic';
import { defineTopic } from './topic-contract';

/** Why an attempt failed; drives the retry decision in one place. */
export const FailureKindSchema = z.enum([
  'http_status', // a non-2xx answer (3xx included: redirects are never followed)
  'timeout', // no full answer within the endpoint's timeout
  'network', // DNS, connect, TLS or socket error
  'endpoint_missing', // the endpoint was deleted before the attempt
  'endpoint_disabled', // the endpoint is disabled
  'target_refused', // the URL is not an allowed target
  'no_valid_secret', // every secret of the endpoint has expired; nothing to sign with
  'key_unavailable', // a secret or private key did not open with the dispatcher's master key (retried: an operator can fix the key)
]);
export type FailureKind = z.infer<typeof FailureKindSchema>;

export const AttemptOutcomeSchema = z.object({
  attemptId: z.string(),
  request: DeliveryRequestSchema,
  url: z.string(),
  succeeded: z.boolean(),
  failure: z.object({ kind: FailureKindSchema, message: z.string() }).nullable(),
  requestHeaders: z.record(z.string(), z.string()),
  response: z
    .object({
      status: z.number().int(),
      headers: z.record(z.string(), z.string()),
      /** First 4,096 bytes of the body, UTF-8 decoded. */
      body: z.string(),
      bodyTruncated: z.boolean(),
    })
    .nullable(),
  /** Seconds from a `Retry-After` header on 429/503, if any. */
  retryAfterSeconds: z.number().nullable(),
  startedAt: z.string(),
  durationMs: z.number(),
});
export type AttemptOutcome = z.infer<typeof AttemptOutcomeSchema>;

export const AttemptsCompletedTopic = defineTopic({
  name: 'hookline.attempts.completed.v1',
  schema: AttemptOutcomeSchema,
  key: (outcome) => outcome.request.endpointId,
  description: 'the outcome of every attempt; consumed by retry-scheduler and log-store',
});
