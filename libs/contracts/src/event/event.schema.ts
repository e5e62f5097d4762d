import { z } from 'zod';
import { EventIdSchema, TenantIdSchema } from '../ids/ids';

/** Largest accepted `data` payload, serialised: 256 KiB per event (README, "APIs"). */
export const MAX_EVENT_BYTES = 256 * 1024;

export const EVENT_TYPE = z
  .string()
  .max(128, 'must be at most 128 characters')
  .regex(/^[a-z0-9_]+(\.[a-z0-9_]+)*$/, 'must be dot-separated lowercase words, e.g. "invoice.paid"');

/**
 * What a producer sends, over HTTP or straight onto the ingestion topic: the
 * envelope, strict, and a `data` object of at most 256 KiB as JSON.
 */
export const EventInputSchema = z
  .object({
    tenantId: TenantIdSchema,
    type: EVENT_TYPE,
    data: z.record(z.string(), z.unknown(), { error: 'must be a JSON object' }),
    id: EventIdSchema.optional(),
    occurredAt: z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time' }).optional(),
  })
  .strict()
  .superRefine((input, ctx) => {
    const size = Buffer.byteLength(JSON.stringify(input.data));
    if (size > MAX_EVENT_BYTES) ctx.addIssue({ code: 'custom', path: ['data'], message: `must be at most ${MAX_EVENT_BYTES} bytes as JSON (got ${size})` });
  });
export type EventInput = z.infer<typeof EventInputSchema>;

/** An accepted event: the unit every later step works on. */
export const EventEnvelopeSchema = z.object({
  id: EventIdSchema,
  tenantId: TenantIdSchema,
  type: EVENT_TYPE,
  data: z.record(z.string(), z.unknown()),
  occurredAt: z.string(),
  receivedAt: z.string(),
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
