import type { Caller } from '@hookline/service-kit';
import type { ApiKeyEntity } from '../api-key.entity';
import type { ApiKeyStore } from '../api-key.ports';

/** The keys a caller may see: a tenant key its tenant's, a global key every key. */
export class ListApiKeys {
  constructor(private readonly keys: Pick<ApiKeyStore, 'list'>) {}

  execute(caller: Caller): Promise<ApiKeyEntity[]> {
    return this.keys.list(caller.tenantId ?? undefined);
  }
}
