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
    /** The tenant's own names for who holds the key; an action contract's `allowedRoles` are matched against them. */
    roles: z
      .array(z.string().regex(/^[a-z0-9][a-z0-9_.-]{0,63}$/, 'must be 1-64 lowercase letters, digits, "_", "." or "-", starting with a letter or digit'))
      .max(20, 'must list at most 20 roles')
      .default([])
      .transform((roles) => [...new Set(roles)]),
  })
  .strict();
export type CreateApiKey = z.infer<typeof CreateApiKeySchema>;

/** What the API shows of a key: never its hash. */
export const ApiKeyViewSchema = z.object({
  id: z.string(),
  name: z.string(),
  tenantId: z.string().nullable().meta({ description: 'the one tenant the key acts on; null for a global key' }),
  scopes: z.array(z.enum(SCOPES)),
  roles: z.array(z.string()),
  createdAt: z.string(),
  revokedAt: z.string().nullable(),
  lastUsedAt: z.string().nullable(),
});
export type ApiKeyView = z.output<typeof ApiKeyViewSchema>;
export const NewApiKeySchema = ApiKeyViewSchema.extend({ key: z.string().meta({ description: 'the key itself: shown this once, stored only as a hash' }) });
export const CurrentKeySchema = z.object({
  id: z.string().meta({ description: 'the key’s id (the development admin token has its own fixed id)' }),
  tenantId: z.string().nullable().meta({ description: 'the one tenant the key acts on; null for a global key' }),
  scopes: z.array(z.enum(SCOPES)).meta({ description: '`admin` implies every other scope' }),
  roles: z.array(z.string()),
});
export type CurrentKeyView = z.output<typeof CurrentKeySchema>;
export const ApiKeyListSchema = z.object({ data: z.array(ApiKeyViewSchema) });
export const ApiKeyPath = z.object({ id: z.uuid() });

export function toApiKeyView(k: ApiKeyEntity): ApiKeyView {
  return {
    id: k.id,
    name: k.name,
    tenantId: k.tenantId,
    scopes: k.scopes,
    roles: k.roles ?? [],
    createdAt: k.createdAt.toISOString(),
    revokedAt: k.revokedAt?.toISOString() ?? null,
    lastUsedAt: k.lastUsedAt?.toISOString() ?? null,
  };
}
