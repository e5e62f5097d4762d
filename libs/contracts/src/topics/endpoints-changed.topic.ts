import { z } from 'zod';
import { defineTopic } from './topic-contract';

export const EndpointSecretSchema = z.object({
  /** `whsec_` + base64 key. */
  secret: z.string(),
  createdAt: z.string(),
  /** Set when the secret was rotated out; it keeps signing until then. */
  expiresAt: z.string().nullable(),
});

export type EndpointSecret = z.infer<typeof EndpointSecretSchema>;

/** The secrets that sign at `at`: every one not yet expired (old and new overlap during a rotation). */
export function activeSecrets<S extends Pick<EndpointSecret, 'expiresAt'>>(secrets: readonly S[], at: Date): S[] {
  return secrets.filter((s) => s.expiresAt === null || Date.parse(s.expiresAt) > at.getTime());
}

/** The full, current state of one endpoint. Tombstone (null value) = deleted. */
export const EndpointConfigSchema = z.object({
  id: z.string(),
  tenantId: z.string(),
  url: z.string(),
  description: z.string(),
  eventTypes: z.array(z.string()),
  secrets: z.array(EndpointSecretSchema),
  headers: z.record(z.string(), z.string()),
  enabled: z.boolean(),
  timeoutMs: z.number().int(),
  version: z.number().int(),
  updatedAt: z.string(),
});
export type EndpointConfig = z.infer<typeof EndpointConfigSchema>;

export const EndpointsChangedTopic = defineTopic({
  name: 'hookline.endpoints.changed.v1',
  schema: EndpointConfigSchema,
  key: (endpoint) => endpoint.id,
  compacted: true,
  description: 'compacted endpoint configuration, keyed by endpoint id; null value = deleted',
});
