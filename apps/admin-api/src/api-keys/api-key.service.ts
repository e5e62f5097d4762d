import { Injectable, NotFoundException } from '@nestjs/common';
import { generateApiKey, hashApiKey, type Caller } from '@hookline/service-kit';
import { randomUUID } from 'node:crypto';
import type { CreateApiKey } from './api-key.dto';
import { ApiKeyEntity } from './api-key.entity';
import { ApiKeyRepository } from './api-key.repository';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const notFound = (id: string) => new NotFoundException({ error: 'not_found', message: `API key ${id} not found` });

@Injectable()
export class ApiKeyService {
  constructor(private readonly keys: ApiKeyRepository) {}

  /**
   * A tenant key creates keys for its own tenant only (asked for no tenant, it
   * gets its own; another tenant is 404 at the guard); only a global key
   * creates global keys. Returns the key in clear, the only time it exists so.
   */
  async create(caller: Caller, input: CreateApiKey): Promise<{ entity: ApiKeyEntity; key: string }> {
    const tenantId = caller.tenantId ?? input.tenantId ?? null;
    const key = generateApiKey(tenantId);
    const entity = Object.assign(new ApiKeyEntity(), {
      id: randomUUID(),
      tenantId,
      name: input.name,
      scopes: input.scopes,
      keyHash: hashApiKey(key),
      revokedAt: null,
      lastUsedAt: null,
    });
    return { entity: await this.keys.insert(entity), key };
  }

  list(caller: Caller): Promise<ApiKeyEntity[]> {
    return this.keys.list(caller.tenantId ?? undefined);
  }

  async revoke(caller: Caller, id: string): Promise<void> {
    const revoked = UUID.test(id) && (await this.keys.revoke(id, caller.tenantId ?? undefined));
    if (!revoked) throw notFound(id);
  }
}
