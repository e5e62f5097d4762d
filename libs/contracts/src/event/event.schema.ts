import { z } from 'zod';
import { EventIdSchema, TenantIdSchema } from '../ids/ids';
import { checkEventData } from './event-data.rules';
import { isOperationalEventType } from './operational-event-types';

/** Largest accepted `data` payload, serialised: 256 KiB per event (README, "APIs"). */
export const MAX_EVENT_BYTES = 256 * 1024;

export const EVENT_TYPE = z
  .string()
  .max(128, 'must be at most 128 characters')
  .regex(/^[a-z0-9_]+(\.[a-z0-9_]+)*$/, 'must be dot-separated lowercase words, e.g. "invoice.paid"');

/** The range of `occurredAt` PostgreSQL's timestamptz holds in the ISO form Hookline writes (years 0001-9999, as UTC). */
export const OCCURRED_AT_MIN = '0001-01-01T00:00:00.000Z';
export const OCCURRED_AT_MAX = '9999-12-31T23:59:59.999Z';
const OCCURRED_AT_RULE = `must be between ${OCCURRED_AT_MIN} and ${OCCURRED_AT_MAX} once converted to UTC`;

/**
 * A plain JSON object, passed through as it is: a rebuilt record would drop
 * an own `__proto__` key (assigning it sets the prototype), and what was
 * accepted must be delivered whole.
 */
const JSON_OBJECT = z
  .custom<Record<string, unknown>>((value) => typeof value === 'object' && value !== null && !Array.isArray(value), {
    error: 'must be a JSON object',
  })
  .meta({ type: 'object', description: 'any JSON object' });

/** Said of a producer's event whose type is one Hookline emits itself (README, "Operational events"). */
export const RESERVED_TYPE_RULE = "is reserved for Hookline's own events";

/**
 * What a producer sends, over HTTP or straight onto the ingestion topic: the
 * envelope, strict, and a `data` object of at most 256 KiB as JSON whose keys
 * and values the log can store (`checkEventData`). The operational event
 * types are refused: a subscriber must be able to trust that
 * `endpoint.disabled` came from Hookline. The accepted envelope allows them.
 */
export const EventInputSchema = z
  .object({
    tenantId: TenantIdSchema,
    type: EVENT_TYPE.refine((type) => !isOperationalEventType(type), RESERVED_TYPE_RULE),
    data: JSON_OBJECT,
    id: EventIdSchema.optional(),
    occurredAt: z.iso
      .datetime({ offset: true, error: 'must be an ISO 8601 date-time', abort: true })
      .refine((value) => {
        const instant = Date.parse(value);
        return instant >= Date.parse(OCCURRED_AT_MIN) && instant <= Date.parse(OCCURRED_AT_MAX);
      }, OCCURRED_AT_RULE)
      .optional(),
  })
  .strict()
  .superRefine((input, ctx) => {
    const issues = checkEventData(input.data);
    for (const issue of issues) ctx.addIssue({ code: 'custom', path: ['data', ...issue.path], message: issue.rule });
    // Only data checked shallow enough is serialised: JSON.stringify recurses.
    if (issues.length > 0) return;
    const size = Buffer.byteLength(JSON.stringify(input.data));
    if (size > MAX_EVENT_BYTES) ctx.addIssue({ code: 'custom', path: ['data'], message: `must be at most ${MAX_EVENT_BYTES} bytes as JSON (got ${size})` });
  });
export type EventInput = z.infer<typeof EventInputSchema>;

/** Where `data` breaks its type's JSON Schema (a JSON pointer into `data`) and the rule broken. */
export const SchemaViolationSchema = z.object({ pointer: z.string(), rule: z.string() });
export type SchemaViolation = z.infer<typeof SchemaViolationSchema>;

/** An accepted event: the unit every later step works on. */
export const EventEnvelopeSchema = z.object({
  id: EventIdSchema,
  tenantId: TenantIdSchema,
  type: EVENT_TYPE,
  data: JSON_OBJECT,
  occurredAt: z.string(),
  receivedAt: z.string(),
  /** Set when `data` failed its type's schema under schema mode `warn`: accepted, and flagged in the log. */
  schemaViolations: z.array(SchemaViolationSchema).optional(),
});
export type EventEnvelope = z.infer<typeof EventEnvelopeSchema>;

/**
 * The exact bytes POSTed to an endpoint and signed. Built in one place so the
 * preview, the dispatcher and the tests agree byte for byte.
 */
export function deliveryBody(event: EventEnvelope): string {
  return JSON.stringify({
    id: event.id,
    type: event.type,
    tenantId: event.tenantId,
    occurredAt: event.occurredAt,
    data: event.data,
  });
}
