import { TenantIdSchema } from '@hookline/contracts';
import { SCOPES } from '@hookline/service-kit';
import { z } from 'zod';
import type { ApiKeyEntity } from './api-key.entity';

export const CreateApiKeySchema = z
  .object({
    name: z.string().min(1, 'must not be empty').max(200, 'must be at most 200 characters'),
    tenantId: TenantIdSchema.optional(),
    scopes: z
      .array(z.enum(SCOPES, { error: `must be one of ${SCOPES.join(', ')}` }))
      .min(1, 'must name at least one scope')
      .transform((scopes) => [...new Set(scopes)]),
  })
  .strict();
export type CreateApiKey = z.infer<typeof CreateApiKeySchema>;

/** What the API shows of a key: never its hash. */
export function toApiKeyView(k: ApiKeyEntity) {
  return {
    id: k.id,
    name: k.name,
    tenantId: k.tenantId,
    scopes: k.scopes,
    createdAt: k.createdAt.toISOString(),
    revokedAt: k.revokedAt?.toISOString() ?? null,
    lastUsedAt: k.lastUsedAt?.toISOString() ?? null,
  };
}
