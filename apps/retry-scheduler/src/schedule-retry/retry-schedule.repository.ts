import { Inject, Injectable } from '@nestjs/common';
import type { DeliveryId, DeliveryRequest, EndpointId } from '@hookline/contracts';
import type { DataSource, EntityManager } from '@hookline/database';
import { DATA_SOURCE } from '@hookline/service-kit';
import type { DueRetries } from '../issue-due-retries/issue-due-retries.usecase';
import type { HeldDeliveries } from '../release-held/release-held.usecase';
import type { RetrySchedule } from './schedule-retry.usecase';

export interface ScheduledRetry {
  request: DeliveryRequest;
  dueAt: Date;
  traceHeaders: Record<string, string>;
}

/** A request of a paused endpoint, kept without a due time until the endpoint's state at `heldAtVersion` or later is no longer paused. */
export interface HeldRequest {
  request: DeliveryRequest;
  heldAtVersion: number;
  traceHeaders: Record<string, string>;
  /** Its place in the hold order, once stored. */
  holdOrder?: number;
}

/**
 * The durable schedule: one row per delivery holding the next request to
 * issue and when. Survives restarts; several instances share it safely.
 */
@Injectable()
export class RetryScheduleRepository implements RetrySchedule, DueRetries, HeldDeliveries {
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

  /**
   * Stores held requests (replacing a delivery's scheduled row of the same or
   * an earlier attempt). Each gets the next place in the hold order, in the
   * order given, which breaks ties between deliveries created in the same
   * millisecond: a burst is released in the order it arrived. A released
   * request handed back keeps the place it had.
   */
  async hold(all: HeldRequest[]): Promise<void> {
    const held = [...new Map(all.map((h) => [h.request.deliveryId, h])).values()];
    if (held.length === 0) return;
    await this.db.query(
      `INSERT INTO retry_schedule (delivery_id, next_attempt, due_at, tenant_id, endpoint_id, request, trace_headers, held_version, event_received_at, hold_order)
       SELECT h.delivery_id, h.next_attempt, h.due_at, h.tenant_id, h.endpoint_id, h.request, h.trace_headers, h.held_version, h.event_received_at,
              coalesce(h.hold_order, nextval('retry_schedule_hold_order'))
         FROM (
         SELECT u.delivery_id, u.next_attempt, NULL::timestamptz AS due_at, u.tenant_id, u.endpoint_id, u.request, u.trace_headers, u.held_version,
                u.event_received_at, u.hold_order
           FROM unnest($1::uuid[], $2::int[], $3::text[], $4::uuid[], $5::jsonb[], $6::jsonb[], $7::int[], $8::timestamptz[], $9::bigint[])
                WITH ORDINALITY AS u(delivery_id, next_attempt, tenant_id, endpoint_id, request, trace_headers, held_version, event_received_at, hold_order, n)
          ORDER BY u.n) h
       ON CONFLICT (delivery_id) DO UPDATE SET
         next_attempt = excluded.next_attempt, due_at = NULL, request = excluded.request, trace_headers = excluded.trace_headers,
         held_version = excluded.held_version, event_received_at = excluded.event_received_at, hold_order = excluded.hold_order
       WHERE retry_schedule.next_attempt <= excluded.next_attempt`,
      [
        held.map((h) => h.request.deliveryId),
        held.map((h) => h.request.attempt),
        held.map((h) => h.request.tenantId),
        held.map((h) => h.request.endpointId),
        held.map((h) => JSON.stringify(h.request)),
        held.map((h) => JSON.stringify(h.traceHeaders)),
        held.map((h) => h.heldAtVersion),
        held.map((h) => h.request.event.receivedAt),
        held.map((h) => h.request.release?.order ?? null),
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

  async heldEndpoints(limit: number): Promise<{ endpointId: EndpointId; lowestHeldVersion: number }[]> {
    const rows: { endpoint_id: EndpointId; lowest: number }[] = await this.db.query(
      `SELECT endpoint_id, min(held_version) AS lowest FROM retry_schedule WHERE due_at IS NULL GROUP BY endpoint_id LIMIT $1`,
      [limit],
    );
    return rows.map((r) => ({ endpointId: r.endpoint_id, lowestHeldVersion: r.lowest }));
  }

  /**
   * One instance releases an endpoint at a time (a transaction-scoped
   * advisory lock on it): two releasing consecutive pages at once could put
   * the later page on Kafka first.
   */
  async release(endpointId: EndpointId, upToVersion: number, limit: number, issue: (held: HeldRequest[]) => Promise<void>): Promise<number> {
    return this.db.transaction(async (tx: EntityManager) => {
      const [{ locked }]: { locked: boolean }[] = await tx.query(`SELECT pg_try_advisory_xact_lock(hashtextextended($1, 7305012)) AS locked`, [endpointId]);
      if (!locked) return 0;
      const rows: { delivery_id: string; request: DeliveryRequest; trace_headers: Record<string, string>; held_version: number; hold_order: string }[] =
        await tx.query(
          `SELECT delivery_id, request, trace_headers, held_version, hold_order FROM retry_schedule
          WHERE endpoint_id = $1 AND due_at IS NULL AND held_version <= $2
          ORDER BY event_received_at, hold_order LIMIT $3 FOR UPDATE`,
          [endpointId, upToVersion, limit],
        );
      if (rows.length === 0) return 0;
      await issue(rows.map((r) => ({ request: r.request, heldAtVersion: r.held_version, traceHeaders: r.trace_headers, holdOrder: Number(r.hold_order) })));
      await tx.query(`DELETE FROM retry_schedule WHERE delivery_id = ANY($1::uuid[]) AND due_at IS NULL`, [rows.map((r) => r.delivery_id)]);
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
