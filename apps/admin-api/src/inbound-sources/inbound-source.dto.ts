import { TenantIdSchema } from '@hookline/contracts';
import { PROVIDER_NAMES } from '@hookline/inbound';
import { z } from 'zod';
import { pageOf } from '../http/page';
import type { InboundLogRow, SourceRow } from './inbound-source.ports';

const PREFIX = z
  .string()
  .regex(/^[a-z0-9_]+(\.[a-z0-9_]+)*$/, 'must be dot-separated lowercase words, e.g. "inbound.stripe"')
  .max(100, 'must be at most 100 characters');

/**
 * An inbound source as the API takes it (README, "Inbound webhooks"): the
 * provider, a name, the provider's verifying secret (write-only) or public
 * key, the provider's options, the prefix of the events it makes, whether it
 * is enabled, and whether the inbound log keeps request bodies.
 */
export const SourceInputSchema = z
  .object({
    provider: z.enum(PROVIDER_NAMES as [string, ...string[]], { error: `must be one of ${PROVIDER_NAMES.join(', ')}` }),
    name: z.string().min(1, 'must not be empty').max(200, 'must be at most 200 characters'),
    secret: z.string().min(1, 'must not be empty').max(4096, 'must be at most 4096 characters').optional(),
    publicKey: z.string().min(1, 'must not be empty').max(8192, 'must be at most 8192 characters').optional(),
    options: z.record(z.string(), z.unknown(), { error: 'must be an object of the provider’s options' }).default({}),
    eventTypePrefix: PREFIX.optional().meta({ description: 'events are `<prefix>.<kind>`; default `inbound.<provider>`' }),
    enabled: z.boolean().default(true),
    storeBodies: z.boolean().default(false).meta({ description: 'keep each request’s body in the inbound log (off: only its size)' }),
  })
  .strict();
export type SourceInput = z.infer<typeof SourceInputSchema>;

export const SourceParams = z.object({ tenantId: TenantIdSchema, id: z.uuid('must be an inbound source id (a UUID)') });
export const SourceListQuery = z.object({
  limit: z.coerce.number().int().min(1, 'must be 1-100').max(100, 'must be 1-100').default(50),
  cursor: z.string().optional().meta({ description: 'the `nextCursor` of the previous page' }),
});

export const SourceViewSchema = z.object({
  id: z.string(),
  tenantId: z.string(),
  provider: z.string(),
  name: z.string(),
  path: z.string().meta({ description: 'where the provider sends: this path on ingest (`POST`, and `GET` for handshakes)' }),
  hasSecret: z.boolean().meta({ description: 'a secret is set (it is never shown)' }),
  publicKey: z.string().nullable(),
  options: z.record(z.string(), z.unknown()),
  eventTypePrefix: z.string(),
  enabled: z.boolean(),
  storeBodies: z.boolean(),
  version: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export const SourcePageSchema = pageOf(SourceViewSchema);

export function toSourceView(s: SourceRow): z.output<typeof SourceViewSchema> {
  return {
    id: s.id,
    tenantId: s.tenantId,
    provider: s.provider,
    name: s.name,
    path: `/v1/inbound/${s.id}`,
    hasSecret: s.secret !== null,
    publicKey: s.publicKey,
    options: s.options,
    eventTypePrefix: s.eventTypePrefix,
    enabled: s.enabled,
    storeBodies: s.storeBodies,
    version: s.version,
    createdAt: s.createdAt.toISOString(),
    updatedAt: s.updatedAt.toISOString(),
  };
}

export const InboundLogViewSchema = z.object({
  id: z.string(),
  receivedAt: z.string(),
  outcome: z.enum(['accepted', 'handshake', 'refused']),
  status: z.number().int().meta({ description: 'what Hookline answered the provider' }),
  reason: z.string().nullable().meta({
    description:
      'why it was refused: missing_signature, bad_signature, stale_timestamp, malformed, untrusted_certificate, bad_verify_token, source_disabled, …',
  }),
  detail: z.string().nullable(),
  size: z.number().int().meta({ description: 'the body’s size in bytes' }),
  eventIds: z.array(z.string()).meta({ description: 'the events an accepted request became' }),
  body: z.string().nullable().meta({ description: 'the raw body, only when the source has `storeBodies`' }),
});
export const InboundLogPageSchema = pageOf(InboundLogViewSchema);

export function toInboundLogView(r: InboundLogRow): z.output<typeof InboundLogViewSchema> {
  const { id, outcome, status, reason, detail, size, eventIds, body } = r;
  return { id, receivedAt: r.receivedAt.toISOString(), outcome, status, reason, detail, size, eventIds, body };
}
