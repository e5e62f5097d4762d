import { Inject, Injectable } from '@nestjs/common';
import type { DataSource, Repository } from '@hookline/database';
import { DATA_SOURCE } from '@hookline/service-kit';
import { IsNull } from 'typeorm';
import { ApiKeyEntity } from './api-key.entity';

@Injectable()
export class ApiKeyRepository {
  private readonly repo: Repository<ApiKeyEntity>;

  constructor(@Inject(DATA_SOURCE) db: DataSource) {
    this.repo = db.getRepository(ApiKeyEntity);
  }

  insert(key: ApiKeyEntity): Promise<ApiKeyEntity> {
    return this.repo.save(key);
  }

  /** Every key when `tenantId` is undefined; else that tenant's keys (null = global keys only). */
  list(tenantId?: string | null): Promise<ApiKeyEntity[]> {
    const where = tenantId === undefined ? {} : { tenantId: tenantId ?? IsNull() };
    return this.repo.find({ where, order: { createdAt: 'ASC', id: 'ASC' } });
  }

  /** Revokes a live key; false when there is none with that id (in that tenant, if given). */
  async revoke(id: string, tenantId?: string): Promise<boolean> {
    const result = await this.repo.update({ id, revokedAt: IsNull(), ...(tenantId === undefined ? {} : { tenantId }) }, { revokedAt: new Date() });
    return (result.affected ?? 0) > 0;
  }
}
