import { z } from 'zod';
import { EVENT_TYPE } from '../event/event.schema';
import { AttemptIdSchema, DeliveryIdSchema, EndpointIdSchema, EventIdSchema, TenantIdSchema } from '../ids/ids';
import { DeliveryModeSchema, DeliveryRequestSchema, ReplayOriginSchema, type DeliveryRequest } from './deliveries-requested.topic';
import { MessagesDeadLetteredTopic } from './messages-dead-lettered.topic';
import { defineTopic } from './topic-contract';

/** Failures without an HTTP answer; each drives the retry decision in one place (libs/retry-policy). */
export const UNANSWERED_FAILURE_KINDS = [
  'timeout', // no full answer within the endpoint's timeout
  'network', // DNS, connect, TLS or socket error
  'endpoint_missing', // the endpoint was deleted before the attempt
  'endpoint_disabled', // the endpoint is disabled
  'target_refused', // the URL is not an allowed target
  'no_valid_secret', // every secret of the endpoint has expired; nothing to sign with
  'key_unavailable', // a secret or private key did not open with the dispatcher's master key (retried: an operator can fix the key)
] as const;

/** Why an attempt failed: a non-2xx answer (`http_status`, 3xx included: redirects are never followed) or one of the unanswered kinds. */
export const FailureKindSchema = z.enum(['http_status', ...UNANSWERED_FAILURE_KINDS]);
export type FailureKind = z.infer<typeof FailureKindSchema>;
export type UnansweredFailureKind = (typeof UNANSWERED_FAILURE_KINDS)[number];

export const AttemptResponseSchema = z.object({
  status: z.number().int(),
  headers: z.record(z.string(), z.string()),
  /** First 4,096 bytes of the body, UTF-8 decoded. */
  body: z.string(),
  bodyTruncated: z.boolean(),
});
export type AttemptResponse = z.infer<typeof AttemptResponseSchema>;

const AttemptFields = {
  attemptId: AttemptIdSchema,
  deliveryId: DeliveryIdSchema,
  tenantId: TenantIdSchema,
  endpointId: EndpointIdSchema,
  /** The endpoint's config version the delivery was routed at (an endpoint's failure run ignores deliveries routed before its current state). */
  endpointVersion: z.number().int(),
  attempt: z.number().int().min(1),
  /** As on the request: where the attempt chain started (absent: 1), its mode (absent: live) and who replayed it. */
  chainStart: z.number().int().min(1).optional(),
  mode: DeliveryModeSchema.optional(),
  replay: ReplayOriginSchema.optional(),
  /** What the log shows of the event; its payload stays in the event log (a success never carries it). */
  event: z.object({ id: EventIdSchema, type: EVENT_TYPE, receivedAt: z.string() }),
  url: z.string(),
  requestHeaders: z.record(z.string(), z.string()),
  startedAt: z.string(),
  durationMs: z.number(),
  /**
   * The waits (ms) of the endpoint's own retry policy when the attempt was
   * made, resolved by the dispatcher; absent means the retry-scheduler's
   * default schedule.
   */
  retrySchedule: z.array(z.number().int().nonnegative()).optional(),
};

/**
 * A failed attempt carries the request it made, event payload included: the
 * retry-scheduler issues the next attempt from it, without a look-up.
 */
const FailedFields = { ...AttemptFields, request: DeliveryRequestSchema };

/**
 * The result part of each kind of outcome, the same in every version of the
 * topic: a 2xx answer; an answer that is not 2xx (`retryAfterSeconds` is a
 * `Retry-After` of a 429 or 503, if any); no HTTP answer at all (or nothing
 * was sent: a timeout, a network error, or the endpoint could not be used).
 */
export const RESULT_SHAPES = {
  succeeded: {
    succeeded: z.literal(true),
    failure: z.null(),
    response: AttemptResponseSchema.refine((r) => r.status >= 200 && r.status <= 299, { message: 'a succeeded attempt has a 2xx status', path: ['status'] }),
    retryAfterSeconds: z.null(),
  },
  refused: {
    succeeded: z.literal(false),
    failure: z.object({ kind: z.literal('http_status'), message: z.string() }),
    response: AttemptResponseSchema.refine((r) => r.status < 200 || r.status > 299, { message: 'a refused attempt has a non-2xx status', path: ['status'] }),
    retryAfterSeconds: z.number().nullable(),
  },
  unanswered: {
    succeeded: z.literal(false),
    failure: z.object({ kind: z.enum(UNANSWERED_FAILURE_KINDS), message: z.string() }),
    response: z.null(),
    retryAfterSeconds: z.null(),
  },
};

export const AttemptSucceededSchema = z.object({ ...AttemptFields, ...RESULT_SHAPES.succeeded });
export const AttemptRefusedSchema = z.object({ ...FailedFields, ...RESULT_SHAPES.refused });
export const AttemptUnansweredSchema = z.object({ ...FailedFields, ...RESULT_SHAPES.unanswered });

/**
 * What happened in one attempt. The union makes the impossible unbuildable: a
 * success carries a 2xx response, no failure and no request; an `http_status`
 * failure carries its response; every other failure carries none; every
 * failure carries its request.
 */
export const AttemptOutcomeSchema = z.union([AttemptSucceededSchema, AttemptRefusedSchema, AttemptUnansweredSchema]);
export type AttemptSucceeded = z.infer<typeof AttemptSucceededSchema>;
export type AttemptRefused = z.infer<typeof AttemptRefusedSchema>;
export type AttemptUnanswered = z.infer<typeof AttemptUnansweredSchema>;
export type AttemptOutcome = z.infer<typeof AttemptOutcomeSchema>;
export type AttemptFailed = AttemptRefused | AttemptUnanswered;

export const AttemptsCompletedTopic = defineTopic({
  name: 'hookline.attempts.completed.v2',
  schema: AttemptOutcomeSchema,
  key: (outcome) => outcome.endpointId,
  deadLetterTopic: MessagesDeadLetteredTopic,
  description: 'the outcome of every attempt (a failure with its request); consumed by retry-scheduler and log-store',
});

/** The outcome carries an HTTP answer that was not 2xx (TypeScript does not narrow an outcome by `failure.kind` alone). */
export function isRefused(outcome: AttemptOutcome): outcome is AttemptRefused {
  return outcome.failure?.kind === 'http_status';
}

/** The result fields of an attempt that got no HTTP answer (or sent nothing): one place for the dispatcher and admin-api's test send. */
export function unansweredFields(kind: UnansweredFailureKind, message: string) {
  return { succeeded: false as const, failure: { kind, message }, response: null, retryAfterSeconds: null };
}

/** What an attempt did, without the request: where it went, what it sent and when. */
export interface AttemptFacts {
  url: string;
  requestHeaders: Record<string, string>;
  startedAt: string;
  durationMs: number;
  retrySchedule?: number[];
}

type ResultOf<T> = Pick<T, Extract<keyof T, 'succeeded' | 'failure' | 'response' | 'retryAfterSeconds'>>;
/** The result part of an outcome: a 2xx, a refusal with its answer, or no answer. */
export type AttemptResultFields = ResultOf<AttemptSucceeded> | ResultOf<AttemptRefused> | ResultOf<AttemptUnanswered>;

/**
 * What every outcome repeats of its request: the ids, attempt number, chain,
 * mode and replay origin, and the event's identity, never its payload.
 */
export function requestIdentity(request: DeliveryRequest) {
  const { event, deliveryId, tenantId, endpointId, endpointVersion, attempt, chainStart, mode, replay } = request;
  return {
    deliveryId,
    tenantId,
    endpointId,
    endpointVersion,
    attempt,
    ...(chainStart !== undefined && { chainStart }),
    ...(mode !== undefined && { mode }),
    ...(replay !== undefined && { replay }),
    event: { id: event.id, type: event.type, receivedAt: event.receivedAt },
  };
}

/**
 * The outcome of `request`'s attempt: the request's ids, chain, mode, replay
 * origin and event summary, the facts, the result, and for a failure the
 * request itself. One builder for the dispatcher and admin-api's test send.
 */
export function attemptOutcome(
  attemptId: AttemptOutcome['attemptId'],
  request: DeliveryRequest,
  facts: AttemptFacts,
  result: AttemptResultFields,
): AttemptOutcome {
  const common = { attemptId, ...requestIdentity(request), ...facts };
  return result.succeeded ? { ...common, ...result } : ({ ...common, ...result, request } as AttemptFailed);
}
