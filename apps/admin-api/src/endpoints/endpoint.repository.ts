import { Inject, Injectable } from '@nestjs/common';
import type { DataSource, EntityManager, Repository } from '@hookline/database';
import { DATA_SOURCE } from '@hookline/service-kit';
import type { EndpointId, EventEnvelope, TenantId } from '@hookline/contracts';
import { IsNull } from 'typeorm';
import type { PagePosition } from '../http/cursor';
import { EndpointEntity } from './endpoint.entity';
import type { EndpointStates } from './change-endpoint-state/change-endpoint-state.usecase';
import type { EndpointStore } from './endpoint.ports';

@Injectable()
export class EndpointRepository implements EndpointStore, EndpointStates {
  private readonly repo: Repository<EndpointEntity>;

  constructor(@Inject(DATA_SOURCE) private readonly db: DataSource) {
    this.repo = db.getRepository(EndpointEntity);
  }

  /**
   * Runs `work` on the endpoint's row under a row lock and saves what it
   * returns, in one transaction: concurrent changes to one endpoint apply one
   * after another, never over each other, and so do their publications.
   */
  withLocked<T>(id: EndpointId, work: (endpoint: EndpointEntity | null, save: (e: EndpointEntity) => Promise<EndpointEntity>) => Promise<T>): Promise<T> {
    return this.db.transaction(async (tx: EntityManager) => {
      const repo = tx.getRepository(EndpointEntity);
      const endpoint = await repo.findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
      return work(endpoint, (e) => repo.save(e));
    });
  }

  change(tenantId: TenantId, id: EndpointId, apply: (endpoint: EndpointEntity) => void | Promise<void>): Promise<EndpointEntity | null> {
    return this.withLocked(id, async (endpoint, save) => {
      if (!endpoint || endpoint.tenantId !== tenantId || endpoint.deletedAt) return null;
      await apply(endpoint);
      endpoint.version += 1;
      return save(endpoint);
    });
  }

  /** The state change and its event's outbox row commit together: no change goes unannounced, no event announces a change that rolled back. */
  changeState(
    tenantId: TenantId,
    id: EndpointId,
    decide: (endpoint: EndpointEntity, nextVersion: number) => EventEnvelope | null,
  ): Promise<{ endpoint: EndpointEntity; event: EventEnvelope | null } | null> {
    return this.db.transaction(async (tx: EntityManager) => {
      const repo = tx.getRepository(EndpointEntity);
      const endpoint = await repo.findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!endpoint || endpoint.tenantId !== tenantId || endpoint.deletedAt) return null;
      const event = decide(endpoint, endpoint.version + 1);
      if (!event) return { endpoint, event: null };
      endpoint.version += 1;
      const saved = await repo.save(endpoint);
      await tx.query(
        `INSERT INTO endpoint_state_events (id, tenant_id, endpoint_id, endpoint_version, event) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (id) DO NOTHING`,
        [event.id, event.tenantId, id, saved.version, JSON.stringify(event)],
      );
      return { endpoint: saved, event };
    });
  }

  insert(endpoint: EndpointEntity): Promise<EndpointEntity> {
    return this.repo.save(endpoint);
  }

  findLive(tenantId: TenantId, id: EndpointId): Promise<EndpointEntity | null> {
    return this.repo.findOne({ where: { tenantId, id, deletedAt: IsNull() } });
  }

  /**
   * Pages compare creation times at millisecond precision, the precision a
   * cursor carries: at PostgreSQL's microseconds, a row created within the
   * cursor's millisecond but after it came back on the next page (regression).
   */
  async list(tenantId: TenantId, limit: number, after?: PagePosition): Promise<EndpointEntity[]> {
    const createdMs = "date_trunc('milliseconds', e.created_at)";
    const query = this.repo
      .createQueryBuilder('e')
      .where('e.tenant_id = :tenantId AND e.deleted_at IS NULL', { tenantId })
      .orderBy(createdMs, 'ASC')
      .addOrderBy('e.id', 'ASC')
      .limit(limit);
    if (after) query.andWhere(`(${createdMs}, e.id) > (:createdAt, :id)`, after);
    return query.getMany();
  }

  /** Ids of endpoints whose latest version has not reached the compacted topic yet. */
  async unpublished(limit: number): Promise<EndpointId[]> {
    const rows = await this.repo
      .createQueryBuilder('e')
      .select('e.id', 'id')
      .where('e.published_version < e.version')
      .orderBy('e.updated_at', 'ASC')
      .limit(limit)
      .getRawMany<{ id: EndpointId }>();
    return rows.map((r) => r.id);
  }

  /**
   * Ids after `afterId`, in id order, of endpoints holding a secret or private
   * key that does not begin with `sealedPrefix` (the current master key's):
   * plaintext from before sealing existed, or sealed under a rotated-out key.
   */
  async needingReseal(sealedPrefix: string, afterId: string, limit: number): Promise<EndpointId[]> {
    const rows = await this.repo
      .createQueryBuilder('e')
      .select('e.id', 'id')
      .where(
        `e.id > :afterId AND (
           EXISTS (SELECT 1 FROM jsonb_array_elements(e.secrets) s WHERE left(s->>'secret', length(:prefix)) <> :prefix)
           OR EXISTS (SELECT 1 FROM jsonb_array_elements(e.signing_keys) k WHERE left(k->>'privateKey', length(:prefix)) <> :prefix)
           OR left(e.chat->>'url', length(:prefix)) <> :prefix)`,
        { prefix: sealedPrefix, afterId },
      )
      .orderBy('e.id', 'ASC')
      .limit(limit)
      .getRawMany<{ id: EndpointId }>();
    return rows.map((r) => r.id);
  }
}
