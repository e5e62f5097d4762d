import { Inject, Injectable } from '@nestjs/common';
import type { DeliveryId, DeliveryRequest } from '@hookline/contracts';
import type { DataSource, EntityManager } from '@hookline/database';
import { DATA_SOURCE } from '@hookline/service-kit';
import type { DueRetries } from '../issue-due-retries/issue-due-retries.usecase';
import type { RetrySchedule } from './schedule-retry.usecase';

export interface ScheduledRetry {
  request: DeliveryRequest;
  dueAt: Date;
  traceHeaders: Record<string, string>;
}

/**
 * The durable schedule: one row per delivery holding the next request to
 * issue and when. Survives restarts; several instances share it safely.
 */
@Injectable()
export class RetryScheduleRepository implements RetrySchedule, DueRetries {
  constructor(@Inject(DATA_SOURCE) private readonly db: DataSource) {}

  /** Stores the retries; a row never moves back to an earlier attempt. */
  async upsert(all: ScheduledRetry[]): Promise<void> {
    const retries = latestPerDelivery(all);
    if (retries.length === 0) return;
    await this.db.query(
      `INSERT INTO retry_schedule (delivery_id, next_attempt, due_at, tenant_id, endpoint_id, request, trace_headers)
       SELECT * FROM unnest($1::uuid[], $2::int[], $3::timestamptz[], $4::text[], $5::uuid[], $6::jsonb[], $7::jsonb[])
       ON CONFLICT (delivery_id) DO UPDATE SET
         next_attempt = excluded.next_attempt, due_at = excluded.due_at, request = excluded.request, trace_headers = excluded.trace_headers
       WHERE retry_schedule.next_attempt <= excluded.next_attempt`,
      [
        retries.map((r) => r.request.deliveryId),
        retries.map((r) => r.request.attempt),
        retries.map((r) => r.dueAt.toISOString()),
        retries.map((r) => r.request.tenantId),
        retries.map((r) => r.request.endpointId),
        retries.map((r) => JSON.stringify(r.request)),
        retries.map((r) => JSON.stringify(r.traceHeaders)),
      ],
    );
  }

  /** Removes pending retries of deliveries that need no more attempts (succeeded or dead). */
  async cancel(deliveryIds: DeliveryId[]): Promise<void> {
    if (deliveryIds.length === 0) return;
    await this.db.query(`DELETE FROM retry_schedule WHERE delivery_id = ANY($1::uuid[])`, [deliveryIds]);
  }

  /**
   * Locks up to `limit` due rows (skipping rows another instance holds), lets
   * `issue` publish them, then deletes them, all in one transaction: a crash
   * before the commit leaves the rows in place to be issued again.
   */
  async issueDue(limit: number, issue: (due: ScheduledRetry[]) => Promise<void>): Promise<number> {
    return this.db.transaction(async (tx: EntityManager) => {
      const rows: { delivery_id: string; next_attempt: number; request: DeliveryRequest; trace_headers: Record<string, string>; due_at: Date }[] =
        await tx.query(
          `SELECT delivery_id, next_attempt, request, trace_headers, due_at FROM retry_schedule
         WHERE due_at <= now() ORDER BY due_at LIMIT $1 FOR UPDATE SKIP LOCKED`,
          [limit],
        );
      if (rows.length === 0) return 0;
      await issue(rows.map((r) => ({ request: r.request, dueAt: r.due_at, traceHeaders: r.trace_headers })));
      await tx.query(`DELETE FROM retry_schedule WHERE delivery_id = ANY($1::uuid[])`, [rows.map((r) => r.delivery_id)]);
      return rows.length;
    });
  }
}

/**
 * One retry per delivery: the highest attempt, and of equal attempts the
 * latest due time. A batch may hold the same delivery twice (a redelivered
 * message after a crash), and one upsert statement may touch a row only once.
 */
export function latestPerDelivery(retries: ScheduledRetry[]): ScheduledRetry[] {
  const latest = new Map<string, ScheduledRetry>();
  for (const retry of retries) {
    const seen = latest.get(retry.request.deliveryId);
    const newer = !seen || retry.request.attempt > seen.request.attempt || (retry.request.attempt === seen.request.attempt && retry.dueAt > seen.dueAt);
    if (newer) latest.set(retry.request.deliveryId, retry);
  }
  return [...latest.values()];
}
