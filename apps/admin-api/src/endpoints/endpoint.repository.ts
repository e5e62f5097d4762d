import { Inject, Injectable } from '@nestjs/common';
import type { DataSource, Repository } from '@hookline/database';
import { DATA_SOURCE } from '@hookline/service-kit';
import { IsNull, LessThan } from 'typeorm';
import { EndpointEntity } from './endpoint.entity';

@Injectable()
export class EndpointRepository {
  private readonly repo: Repository<EndpointEntity>;

  constructor(@Inject(DATA_SOURCE) db: DataSource) {
    this.repo = db.getRepository(EndpointEntity);
  }

  insert(endpoint: EndpointEntity): Promise<EndpointEntity> {
    return this.repo.save(endpoint);
  }

  save(endpoint: EndpointEntity): Promise<EndpointEntity> {
    return this.repo.save(endpoint);
  }

  findLive(tenantId: string, id: string): Promise<EndpointEntity | null> {
    return this.repo.findOne({ where: { tenantId, id, deletedAt: IsNull() } });
  }

  findAny(id: string): Promise<EndpointEntity | null> {
    return this.repo.findOne({ where: { id } });
  }

  /** A tenant's endpoints, oldest first, from after `afterId`'s position. */
  async list(tenantId: string, limit: number, after?: { createdAt: Date; id: string }): Promise<EndpointEntity[]> {
    const query = this.repo
      .createQueryBuilder('e')
      .where('e.tenant_id = :tenantId AND e.deleted_at IS NULL', { tenantId })
      .orderBy('e.created_at', 'ASC')
      .addOrderBy('e.id', 'ASC')
      .take(limit);
    if (after) query.andWhere('(e.created_at, e.id) > (:createdAt, :id)', after);
    return query.getMany();
  }

  /** Endpoints whose latest version has not reached the compacted topic yet. */
  unpublished(limit: number): Promise<EndpointEntity[]> {
    return this.repo.createQueryBuilder('e').where('e.published_version < e.version').orderBy('e.updated_at', 'ASC').take(limit).getMany();
  }

  async markPublished(id: string, version: number): Promise<void> {
    await this.repo.update({ id, publishedVersion: LessThan(version) }, { publishedVersion: version });
  }
}
