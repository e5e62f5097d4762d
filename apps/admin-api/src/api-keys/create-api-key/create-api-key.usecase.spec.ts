import type { TenantId } from '@hookline/contracts';
import { hashApiKey, type Caller } from '@hookline/service-kit';
import type { ApiKeyEntity } from '../api-key.entity';
import { CreateApiKey } from './create-api-key.usecase';

class RecordingKeys {
  readonly inserted: ApiKeyEntity[] = [];
  async insert(key: ApiKeyEntity): Promise<ApiKeyEntity> {
    this.inserted.push(key);
    return key;
  }
}

const caller = (tenantId: string | null): Caller => ({ keyId: 'k', tenantId: tenantId as TenantId | null, scopes: ['admin'], roles: [] });

describe(CreateApiKey.name, () => {
  it('stores only the SHA-256 of the key it returns', async () => {
    const keys = new RecordingKeys();
    const { key, entity } = await new CreateApiKey(keys).execute(caller(null), { name: 'ci', scopes: ['events:write'], roles: [] });
    expect(key).toMatch(/^hl_global_[A-Za-z0-9_-]{43}$/);
    expect(entity.keyHash).toBe(hashApiKey(key));
    expect(JSON.stringify(keys.inserted)).not.toContain(key);
  });

  it("gives a tenant key's new keys its own tenant, whatever is asked", async () => {
    const keys = new RecordingKeys();
    const { entity, key } = await new CreateApiKey(keys).execute(caller('acme'), { name: 'x', scopes: ['admin'], roles: [] });
    expect(entity.tenantId).toBe('acme');
    expect(key.startsWith('hl_acme_')).toBe(true);
  });

  it('lets a global key create a key for any tenant, or a global one', async () => {
    const useCase = new CreateApiKey(new RecordingKeys());
    expect((await useCase.execute(caller(null), { name: 'x', tenantId: 'globex' as TenantId, scopes: ['admin'], roles: [] })).entity.tenantId).toBe('globex');
    expect((await useCase.execute(caller(null), { name: 'x', scopes: ['admin'], roles: [] })).entity.tenantId).toBeNull();
  });
});
