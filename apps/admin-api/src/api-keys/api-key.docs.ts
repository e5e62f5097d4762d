import type { RouteDoc } from '@hookline/service-kit';
import { ApiKeyListSchema, ApiKeyPath, CreateApiKeySchema, CurrentKeySchema, NewApiKeySchema } from './api-key.dto';

const tag = 'API keys';

/** The OpenAPI description of the API-key routes (all but `current` take `admin`). */
export const ApiKeyDocs = {
  create: {
    tag,
    summary: 'Create an API key',
    description: 'A key for one tenant (`tenantId`) or global (a global caller only), with the scopes it may use. The key is in this answer only.',
    body: CreateApiKeySchema,
    bodyExample: { name: 'billing producer', tenantId: 'acme', scopes: ['events:write'] },
    responses: { 201: { description: 'the key, shown once', schema: NewApiKeySchema } },
  },
  current: {
    tag,
    summary: 'The calling API key',
    description: 'The tenant, scopes and roles of the key in the Authorization header, so a client can show what it may do. Never the key itself.',
    responses: { 200: { description: 'the calling key', schema: CurrentKeySchema } },
  },
  list: {
    tag,
    summary: 'List API keys',
    description: 'A tenant key sees its own tenant’s keys.',
    responses: { 200: { description: 'the keys', schema: ApiKeyListSchema } },
  },
  revoke: { tag, summary: 'Revoke an API key', params: ApiKeyPath, responses: { 204: { description: 'revoked: the key is refused from now on' } } },
} satisfies Record<string, RouteDoc>;
