import { notFound, type Caller } from '@hookline/service-kit';
import { z } from 'zod';
import type { ApiKeyStore } from '../api-key.ports';

/** Revokes a key the caller may see; the key gets 401 from the next request on, on both APIs. */
export class RevokeApiKey {
  constructor(private readonly keys: Pick<ApiKeyStore, 'revoke'>) {}

  async execute(caller: Caller, id: string): Promise<void> {
    const revoked = z.uuid().safeParse(id).success && (await this.keys.revoke(id, caller.tenantId ?? undefined));
    if (!revoked) throw notFound(`API key ${id}`);
  }
}
