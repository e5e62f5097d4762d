import { EVENT_TYPE } from '../event/event.schema';
import { EndpointIdSchema, type EndpointId } from '../ids/ids';
import { modeOf, type DeliveryMode } from './deliveries-requested.topic';
import type { AttemptOutcome } from './attempts-completed.topic';

/**
 * Kafka headers of every `hookline.attempts.completed.v2` record: what its
 * readers filter on, readable without parsing the value. The value stays the
 * whole truth; the headers repeat a few of its fields.
 */
export const OUTCOME_HEADERS = {
  /** `succeeded` or `failed`. */
  outcome: 'hookline-outcome',
  /** The attempt number. */
  attempt: 'hookline-attempt',
  /** The endpoint config version the delivery was routed at. */
  endpointVersion: 'hookline-endpoint-version',
  /** `live` or `test`. */
  mode: 'hookline-mode',
  /** The event type (operational events never count towards an endpoint's failure run). */
  eventType: 'hookline-event-type',
} as const;

export function headersOfOutcome(outcome: AttemptOutcome): Record<string, string> {
  return {
    [OUTCOME_HEADERS.outcome]: outcome.succeeded ? 'succeeded' : 'failed',
    [OUTCOME_HEADERS.attempt]: String(outcome.attempt),
    [OUTCOME_HEADERS.endpointVersion]: String(outcome.endpointVersion),
    [OUTCOME_HEADERS.mode]: modeOf(outcome),
    [OUTCOME_HEADERS.eventType]: outcome.event.type,
  };
}

/** A successful attempt as its record's key (the endpoint id) and headers tell it. */
export interface SuccessFromHeaders {
  endpointId: EndpointId;
  endpointVersion: number;
  attempt: number;
  mode: DeliveryMode;
  eventType: string;
}

const WHOLE = /^(0|[1-9]\d{0,14})$/;

/**
 * The success a record's key and headers describe, or undefined when they do
 * not describe a success completely and validly (a failure, a record without
 * these headers, a malformed one): such a record is read from its value.
 */
export function successFromHeaders(key: string | null, headers: Readonly<Record<string, string>>): SuccessFromHeaders | undefined {
  if (headers[OUTCOME_HEADERS.outcome] !== 'succeeded') return undefined;
  const attempt = headers[OUTCOME_HEADERS.attempt];
  const version = headers[OUTCOME_HEADERS.endpointVersion];
  const mode = headers[OUTCOME_HEADERS.mode];
  const eventType = headers[OUTCOME_HEADERS.eventType];
  if (attempt === undefined || !WHOLE.test(attempt) || attempt === '0' || version === undefined || !WHOLE.test(version)) return undefined;
  if ((mode !== 'live' && mode !== 'test') || eventType === undefined || !EVENT_TYPE.safeParse(eventType).success) return undefined;
  const endpointId = EndpointIdSchema.safeParse(key);
  if (!endpointId.success) return undefined;
  return { endpointId: endpointId.data, endpointVersion: Number(version), attempt: Number(attempt), mode, eventType };
}

/** The headers without the outcome headers: what is left (the trace context) rides on to the retry the outcome leads to. */
export function withoutOutcomeHeaders(headers: Readonly<Record<string, string>>): Record<string, string> {
  const names: readonly string[] = Object.values(OUTCOME_HEADERS);
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !names.includes(name)));
}
