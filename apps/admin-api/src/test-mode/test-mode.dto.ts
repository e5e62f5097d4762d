import {
  AttemptResponseSchema,
  checkEventData,
  EVENT_TYPE,
  EventIdSchema,
  FailureKindSchema,
  MAX_EVENT_BYTES,
  OCCURRED_AT_MAX,
  OCCURRED_AT_MIN,
  type AttemptOutcome,
} from '@hookline/contracts';
import type { DeliveryHttpRequest } from '@hookline/signing';
import { NONCE_PATTERN } from '@hookline/verify';
import { z } from 'zod';
import { withoutCredentials } from '../deliveries/request-headers';

/** `data` as ingest takes it: a JSON object the log can store, at most 256 KiB. Left out, the type's example in the event catalog. */
const SAMPLE_DATA = z
  .custom<Record<string, unknown>>((value) => typeof value === 'object' && value !== null && !Array.isArray(value), {
    error: 'must be a JSON object, the event data to send',
  })
  .superRefine((data, ctx) => {
    const issues = checkEventData(data);
    for (const issue of issues) ctx.addIssue({ code: 'custom', path: issue.path, message: issue.rule });
    if (issues.length > 0) return;
    const size = Buffer.byteLength(JSON.stringify(data));
    if (size > MAX_EVENT_BYTES) ctx.addIssue({ code: 'custom', message: `must be at most ${MAX_EVENT_BYTES} bytes as JSON (got ${size})` });
  })
  .meta({
    type: 'object',
    description: 'the event data to send: a JSON object of at most 256 KiB; left out, the example of `type` in the tenant’s event catalog',
  });

export const TestSendSchema = z.object({ type: EVENT_TYPE, data: SAMPLE_DATA.optional() }).strict();

/** `webhook-timestamp` as sent: whole Unix seconds, as a number or the header's text. */
const UNIX_SECONDS = z.union(
  [
    z.number().int().min(0).max(9_999_999_999),
    z
      .string()
      .regex(/^\d{1,10}$/)
      .transform(Number),
  ],
  { error: 'must be whole Unix seconds (at most 10 digits), e.g. the webhook-timestamp of a delivery' },
);

export const PreviewSchema = z
  .object({
    type: EVENT_TYPE,
    data: SAMPLE_DATA.optional(),
    id: EventIdSchema.optional(),
    timestamp: UNIX_SECONDS.optional(),
    occurredAt: z.iso
      .datetime({ offset: true, error: 'must be an ISO 8601 date-time', abort: true })
      .refine((value) => {
        const instant = Date.parse(value);
        return instant >= Date.parse(OCCURRED_AT_MIN) && instant <= Date.parse(OCCURRED_AT_MAX);
      }, `must be between ${OCCURRED_AT_MIN} and ${OCCURRED_AT_MAX} once converted to UTC`)
      .optional(),
    nonce: z.string().regex(NONCE_PATTERN, 'must be 16-128 characters of letters, digits, "_" or "-", e.g. the x-hookline-nonce of a delivery').optional(),
  })
  .strict();

/**
 * A preview as the API shows it: the request exactly, but for the values of
 * custom headers whose name speaks of a credential, redacted as in the
 * delivery log (signatures are no secret: each holds for one body and time).
 */
export const PreviewViewSchema = z.object({
  method: z.literal('POST'),
  url: z.string(),
  headers: z.record(z.string(), z.string()),
  body: z.string().meta({ description: 'the exact bytes sent and signed (UTF-8)' }),
});

export function toPreviewView(request: DeliveryHttpRequest): z.output<typeof PreviewViewSchema> {
  return { ...request, headers: withoutCredentials(request.headers) };
}

/** A test send's attempt as the log shows an attempt (credential-like custom header values redacted), with the ids to find it there. */
export const TestAttemptViewSchema = z.object({
  deliveryId: z.string(),
  eventId: z.string(),
  endpointId: z.string(),
  mode: z.literal('test'),
  url: z.string(),
  succeeded: z.boolean(),
  failure: z.object({ kind: FailureKindSchema, message: z.string() }).nullable(),
  request: z.object({ headers: z.record(z.string(), z.string()) }),
  response: AttemptResponseSchema.nullable(),
  durationMs: z.number(),
  startedAt: z.string(),
});

export function toTestAttemptView(outcome: AttemptOutcome): z.output<typeof TestAttemptViewSchema> {
  return {
    deliveryId: outcome.deliveryId,
    eventId: outcome.event.id,
    endpointId: outcome.endpointId,
    mode: 'test' as const,
    url: outcome.url,
    succeeded: outcome.succeeded,
    failure: outcome.failure,
    request: { headers: withoutCredentials(outcome.requestHeaders) },
    response: outcome.response,
    durationMs: outcome.durationMs,
    startedAt: outcome.startedAt,
  };
}
