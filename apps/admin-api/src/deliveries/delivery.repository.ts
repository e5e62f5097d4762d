import { Inject, Injectable } from '@nestjs/common';
import type { DataSource, Repository } from '@hookline/database';
import { DATA_SOURCE } from '@hookline/service-kit';
import { In } from 'typeorm';
import { AttemptEntity } from './attempt.entity';
import type { DeliveryId, TenantId } from '@hookline/contracts';
import type { PagePosition } from '../http/cursor';
import { DeliveryEntity } from './delivery.entity';
import type { DeliveryFilter, DeliveryLogReader, RetryScheduleAdvancer, RetryScheduleReader, ScheduledAttempt } from './delivery.ports';

@Injectable()
export class DeliveryRepository implements DeliveryLogReader, RetryScheduleReader, RetryScheduleAdvancer {
  private readonly deliveries: Repository<DeliveryEntity>;
  private readonly attempts: Repository<AttemptEntity>;

  constructor(@Inject(DATA_SOURCE) private readonly db: DataSource) {
    this.deliveries = db.getRepository(DeliveryEntity);
    this.attempts = db.getRepository(AttemptEntity);
  }

  async list(filter: DeliveryFilter, limit: number, before?: PagePosition): Promise<DeliveryEntity[]> {
    const q = this.deliveries
      .createQueryBuilder('d')
      .where('d.mode = :mode', { mode: filter.mode ?? 'live' })
      .orderBy('d.created_at', 'DESC')
      .addOrderBy('d.id', 'DESC')
      .limit(limit);
    if (filter.tenantId) q.andWhere('d.tenant_id = :tenantId', filter);
    if (filter.endpointId) q.andWhere('d.endpoint_id = :endpointId', filter);
    if (filter.eventId) q.andWhere('d.event_id = :eventId', filter);
    if (filter.status) q.andWhere('d.status = :status', filter);
    if (filter.eventType) q.andWhere('d.event_type = :eventType', filter);
    if (filter.since) q.andWhere('d.created_at >= :since', filter);
    if (filter.until) q.andWhere('d.created_at < :until', filter);
    if (before) q.andWhere('(d.created_at, d.id) < (:createdAt, :id)', before);
    return q.getMany();
  }

  findOne(id: DeliveryId, tenantId?: TenantId): Promise<DeliveryEntity | null> {
    return this.deliveries.findOne({ where: tenantId ? { id, tenantId } : { id } });
  }

  async attemptsOf(deliveryIds: DeliveryId[]): Promise<Map<DeliveryId, AttemptEntity[]>> {
    const byDelivery = new Map<DeliveryId, AttemptEntity[]>(deliveryIds.map((id) => [id, []]));
    if (deliveryIds.length === 0) return byDelivery;
    const rows = await this.attempts.find({ where: { deliveryId: In(deliveryIds) }, order: { attemptNumber: 'ASC' } });
    for (const row of rows) byDelivery.get(row.deliveryId)?.push(row);
    return byDelivery;
  }

  /**
   * One primary-key lookup in retry-scheduler's table, raw: admin-api maps no
   * entity onto a table it does not own (and writes only a due time, in dueNow). The tenant is part of the
   * condition so that a row is never shown under another tenant's delivery.
   */
  async nextAttemptOf(id: DeliveryId, tenantId: TenantId): Promise<ScheduledAttempt | null> {
    const rows: { next_attempt: number; due_at: Date | null }[] = await this.db.query(
      `SELECT next_attempt, due_at FROM retry_schedule WHERE delivery_id = $1 AND tenant_id = $2`,
      [id, tenantId],
    );
    return rows.length === 0 ? null : { attempt: rows[0].next_attempt, dueAt: rows[0].due_at };
  }

  /**
   * One statement, so it takes the row's lock like retry-scheduler's poll
   * does and never sees a row half issued: see RetryNow for why this cannot
   * make an attempt run twice. `now()` is PostgreSQL's, the clock the poll's
   * `due_at <= now()` reads.
   */
  async dueNow(id: DeliveryId, tenantId: TenantId): Promise<number | null> {
    const [rows] = (await this.db.query(
      `UPDATE retry_schedule SET due_at = now() WHERE delivery_id = $1 AND tenant_id = $2 AND due_at IS NOT NULL RETURNING next_attempt`,
      [id, tenantId],
    )) as [{ next_attempt: number }[], number]; // an UPDATE answers its rows and their count
    return rows.length === 0 ? null : rows[0].next_attempt;
  }
}
