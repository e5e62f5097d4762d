import { Inject, Injectable } from '@nestjs/common';
import type { DataSource, Repository } from '@hookline/database';
import { DATA_SOURCE } from '@hookline/service-kit';
import { IsNull } from 'typeorm';
import type { TenantId } from '@hookline/contracts';
import { ApiKeyEntity } from './api-key.entity';
import type { ApiKeyStore } from './api-key.ports';

@Injectable()
export class ApiKeyRepository implements ApiKeyStore {
  private readonly repo: Repository<ApiKeyEntity>;

  constructor(@Inject(DATA_SOURCE) db: DataSource) {
    this.repo = db.getRepository(ApiKeyEntity);
  }

  insert(key: ApiKeyEntity): Promise<ApiKeyEntity> {
    return this.repo.save(key);
  }

  list(tenantId?: TenantId): Promise<ApiKeyEntity[]> {
    const where = tenantId === undefined ? {} : { tenantId };
    return this.repo.find({ where, order: { createdAt: 'ASC', id: 'ASC' } });
  }

  async revoke(id: string, tenantId?: TenantId): Promise<boolean> {
    const result = await this.repo.update({ id, revokedAt: IsNull(), ...(tenantId === undefined ? {} : { tenantId }) }, { revokedAt: new Date() });
    return (result.affected ?? 0) > 0;
  }
}
