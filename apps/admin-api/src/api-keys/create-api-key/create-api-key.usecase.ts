import type { Caller } from '@hookline/service-kit';
import { generateApiKey, hashApiKey } from '@hookline/service-kit';
import { randomUUID } from 'node:crypto';
import type { CreateApiKey as CreateApiKeyInput } from '../api-key.dto';
import { ApiKeyEntity } from '../api-key.entity';
import type { ApiKeyStore } from '../api-key.ports';

/**
 * Creates an API key; only its SHA-256 is stored, and the key is returned in
 * clear this once. A tenant key creates keys for its own tenant only (asked
 * for none, it gets its own; another tenant is a 404 at the guard); only a
 * global key creates global keys.
 */
export class CreateApiKey {
  constructor(private readonly keys: Pick<ApiKeyStore, 'insert'>) {}

  async execute(caller: Caller, input: CreateApiKeyInput): Promise<{ entity: ApiKeyEntity; key: string }> {
    const tenantId = caller.tenantId ?? input.tenantId ?? null;
    const key = generateApiKey(tenantId);
    const entity = Object.assign(new ApiKeyEntity(), {
      id: randomUUID(),
      tenantId,
      name: input.name,
      scopes: input.scopes,
      roles: input.roles,
      keyHash: hashApiKey(key),
      revokedAt: null,
      lastUsedAt: null,
    });
    return { entity: await this.keys.insert(entity), key };
  }
}
