import type { RouteDoc } from '@hookline/service-kit';
import { ApiKeyListSchema, ApiKeyPath, CreateApiKeySchema, NewApiKeySchema } from './api-key.dto';

const tag = 'API keys';

/** The OpenAPI description of the API-key routes (all take `admin`). */
export const ApiKeyDocs = {
  create: {
    tag,
    summary: 'Create an API key',
    description: 'A key for one tenant (`tenantId`) or global (a global caller only), with the scopes it may use. The key is in this answer only.',
    body: CreateApiKeySchema,
    bodyExample: { name: 'billing producer', tenantId: 'acme', scopes: ['events:write'] },
    responses: { 201: { description: 'the key, shown once', schema: NewApiKeySchema } },
  },
  list: {
    tag,
    summary: 'List API keys',
    description: 'A tenant key sees its own tenant’s keys.',
    responses: { 200: { description: 'the keys', schema: ApiKeyListSchema } },
  },
  revoke: { tag, summary: 'Revoke an API key', params: ApiKeyPath, responses: { 204: { description: 'revoked: the key is refused from now on' } } },
} satisfies Record<string, RouteDoc>;
