import { z } from 'zod';

/** Largest accepted `data` payload, serialised (SPEC §4: 256 KiB per event). */
export const MAX_EVENT_BYTES = 256 * 1024;

export const TENANT_ID = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, 'must be 1-64 characters of letters, digits, "_" or "-"');

export const EVENT_ID = z.string().regex(/^[A-Za-z0-9_.:-]{1,128}$/, 'must be 1-128 characters of letters, digits, "_", ".", ":" or "-"');

export const EVENT_TYPE = z
  .string()
  .max(128, 'must be at most 128 characters')
  .regex(/^[a-z0-9_]+(\.[a-z0-9_]+)*$/, 'must be dot-separated lowercase words, e.g. "invoice.paid"');

/** What a producer sends, over HTTP or straight onto the ingestion topic. */
export const EventInputSchema = z
  .object({
    tenantId: TENANT_ID,
    type: EVENT_TYPE,
    data: z.record(z.string(), z.unknown(), { error: 'must be a JSON object' }),
    id: EVENT_ID.optional(),
    occurredAt: z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time' }).optional(),
  })
  .strict();
export type EventInput = z.infer<typeof EventInputSchema>;

/** An accepted event: the unit every later step works on. */
export const EventEnvelopeSchema = z.object({
  id: EVENT_ID,
  tenantId: TENANT_ID,
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
