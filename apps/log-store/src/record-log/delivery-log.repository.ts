import { Inject, Injectable } from '@nestjs/common';
import { modeOf, type AttemptOutcome, type DeliveryExhausted, type DeliveryRequest, type EventEnvelope } from '@hookline/contracts';
import type { DataSource } from '@hookline/database';
import { DATA_SOURCE } from '@hookline/service-kit';
import type { DeliveryLog } from './record-log.usecase';

/**
 * Batched, idempotent writes of the delivery log. Every statement takes a
 * whole batch (unnest arrays) and is keyed by the deterministic ids, so a
 * redone batch changes nothing.
 */
@Injectable()
export class DeliveryLogRepository implements DeliveryLog {
  constructor(@Inject(DATA_SOURCE) private readonly db: DataSource) {}

  async insertEvents(events: EventEnvelope[]): Promise<void> {
    if (events.length === 0) return;
    await this.db.query(
      `INSERT INTO events (tenant_id, id, type, data, occurred_at, received_at, schema_violations)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::jsonb[], $5::timestamptz[], $6::timestamptz[], $7::jsonb[])
       ON CONFLICT DO NOTHING`,
      [
        events.map((e) => e.tenantId),
        events.map((e) => e.id),
        events.map((e) => e.type),
        events.map((e) => jsonb(e.data)),
        events.map((e) => e.occurredAt),
        events.map((e) => e.receivedAt),
        events.map((e) => (e.schemaViolations ? JSON.stringify(e.schemaViolations) : null)),
      ],
    );
  }

  async insertDeliveries(requests: DeliveryRequest[]): Promise<void> {
    const unique = [...new Map(requests.map((r) => [r.deliveryId, r])).values()];
    if (unique.length === 0) return;
    await this.db.query(
      `INSERT INTO deliveries (id, tenant_id, event_id, endpoint_id, event_type, status, created_at, mode, rule, body)
       SELECT id, tenant_id, event_id, endpoint_id, event_type, 'pending', created_at, mode, rule, body
       FROM unnest($1::uuid[], $2::text[], $3::text[], $4::uuid[], $5::text[], $6::timestamptz[], $7::text[], $8::jsonb[], $9::jsonb[])
         AS t(id, tenant_id, event_id, endpoint_id, event_type, created_at, mode, rule, body)
       ON CONFLICT (id) DO UPDATE SET rule = excluded.rule, body = excluded.body
         -- The attempt's outcome may have created the row first (another topic): a rule's delivery then gets its rule and body now.
         WHERE deliveries.rule IS NULL AND excluded.rule IS NOT NULL`,
      [
        unique.map((r) => r.deliveryId),
        unique.map((r) => r.tenantId),
        unique.map((r) => r.event.id),
        unique.map((r) => r.endpointId),
        unique.map((r) => r.event.type),
        unique.map((r) => r.event.receivedAt),
        unique.map((r) => modeOf(r)),
        // A rule action's delivery: which rule, and the transformed body it sends (a replay sends it again).
        unique.map((r) => (r.rule ? jsonb(r.rule) : null)),
        unique.map((r) => (r.body === undefined ? null : jsonb(r.body))),
      ],
    );
  }

  /**
   * Writes attempts and moves each delivery's status, attempt count and last
   * answer forward. The status is the one of the delivery's highest attempt
   * number: a replay (a new chain after a final state) moves a succeeded or
   * dead delivery again, while a redone or late batch of older attempts
   * changes nothing. Of equal attempt numbers (an attempt redone after a
   * crash), a success wins, then dead.
   */
  async recordAttempts(outcomes: AttemptOutcome[]): Promise<void> {
    const unique = [...new Map(outcomes.map((o) => [o.attemptId, o])).values()];
    if (unique.length === 0) return;
    await this.db.query(
      `INSERT INTO attempts (id, delivery_id, tenant_id, endpoint_id, attempt_number, url, succeeded, failure_kind, failure_message,
                             request_headers, response_status, response_headers, response_body, response_body_truncated, duration_ms, started_at, mode, replay)
       SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::uuid[], $5::int[], $6::text[], $7::bool[], $8::text[], $9::text[],
                            $10::jsonb[], $11::int[], $12::jsonb[], $13::text[], $14::bool[], $15::int[], $16::timestamptz[], $17::text[], $18::jsonb[])
       ON CONFLICT DO NOTHING`,
      [
        unique.map((o) => o.attemptId),
        unique.map((o) => o.deliveryId),
        unique.map((o) => o.tenantId),
        unique.map((o) => o.endpointId),
        unique.map((o) => o.attempt),
        unique.map((o) => o.url),
        unique.map((o) => o.succeeded),
        unique.map((o) => o.failure?.kind ?? null),
        unique.map((o) => (o.failure ? text(o.failure.message) : null)),
        unique.map((o) => jsonb(o.requestHeaders)),
        unique.map((o) => o.response?.status ?? null),
        unique.map((o) => (o.response ? jsonb(o.response.headers) : null)),
        unique.map((o) => (o.response ? text(o.response.body) : null)),
        unique.map((o) => o.response?.bodyTruncated ?? false),
        unique.map((o) => Math.round(o.durationMs)),
        unique.map((o) => o.startedAt),
        unique.map((o) => modeOf(o)),
        unique.map((o) => (o.replay ? jsonb(o.replay) : null)),
      ],
    );

    const rows = latestAttempts(unique);
    await this.db.query(
      `INSERT INTO deliveries AS d (id, tenant_id, event_id, endpoint_id, event_type, status, attempt_count, last_attempt_at, last_response_status, created_at, mode)
       SELECT id, tenant_id, event_id, endpoint_id, event_type,
              CASE WHEN ok THEN 'succeeded' WHEN mode = 'test' THEN 'dead' ELSE 'failing' END, attempt, started_at, status, created_at, mode
       FROM unnest($1::uuid[], $2::text[], $3::text[], $4::uuid[], $5::text[], $6::bool[], $7::int[], $8::timestamptz[], $9::int[], $10::timestamptz[], $11::text[])
         AS t(id, tenant_id, event_id, endpoint_id, event_type, ok, attempt, started_at, status, created_at, mode)
       ON CONFLICT (id) DO UPDATE SET
         status = CASE
           WHEN excluded.attempt_count > d.attempt_count THEN excluded.status
           WHEN excluded.attempt_count < d.attempt_count THEN d.status
           WHEN d.status = 'succeeded' OR excluded.status = 'succeeded' THEN 'succeeded'
           WHEN d.status = 'dead' THEN 'dead'
           ELSE excluded.status END,
         attempt_count = GREATEST(d.attempt_count, excluded.attempt_count),
         last_attempt_at = CASE WHEN excluded.attempt_count >= d.attempt_count THEN excluded.last_attempt_at ELSE d.last_attempt_at END,
         last_response_status = CASE WHEN excluded.attempt_count >= d.attempt_count THEN excluded.last_response_status ELSE d.last_response_status END,
         updated_at = now()`,
      [
        rows.map((r) => r.outcome.deliveryId),
        rows.map((r) => r.outcome.tenantId),
        rows.map((r) => r.outcome.event.id),
        rows.map((r) => r.outcome.endpointId),
        rows.map((r) => r.outcome.event.type),
        rows.map((r) => r.succeeded),
        rows.map((r) => r.outcome.attempt),
        rows.map((r) => r.outcome.startedAt),
        rows.map((r) => r.outcome.response?.status ?? null),
        rows.map((r) => r.outcome.event.receivedAt),
        rows.map((r) => modeOf(r.outcome)),
      ],
    );
  }

  /**
   * Marks deliveries dead, unless a later attempt (a replay) was already
   * logged: the exhausted record names the attempt that ended its chain.
   * Creates the row if the delivery's other records
   * have not been written yet: topics are consumed independently, and waiting
   * for them here could block the very fetch that brings them.
   */
  async markDead(exhausted: DeliveryExhausted[]): Promise<void> {
    const unique = [...new Map(exhausted.map((e) => [e.deliveryId, e])).values()];
    if (unique.length === 0) return;
    await this.db.query(
      `INSERT INTO deliveries AS d (id, tenant_id, event_id, endpoint_id, event_type, status, attempt_count, created_at)
       SELECT id, tenant_id, event_id, endpoint_id, event_type, 'dead', attempts, created_at
       FROM unnest($1::uuid[], $2::text[], $3::text[], $4::uuid[], $5::text[], $6::int[], $7::timestamptz[])
         AS t(id, tenant_id, event_id, endpoint_id, event_type, attempts, created_at)
       ON CONFLICT (id) DO UPDATE SET
         status = CASE
           WHEN d.attempt_count > excluded.attempt_count THEN d.status
           WHEN d.attempt_count = excluded.attempt_count AND d.status = 'succeeded' THEN 'succeeded'
           ELSE 'dead' END,
         attempt_count = GREATEST(d.attempt_count, excluded.attempt_count),
         updated_at = now()`,
      [
        unique.map((e) => e.deliveryId),
        unique.map((e) => e.tenantId),
        unique.map((e) => e.eventId),
        unique.map((e) => e.endpointId),
        unique.map((e) => e.eventType),
        unique.map((e) => e.attempts),
        unique.map((e) => e.eventReceivedAt),
      ],
    );
  }
}

/**
 * One row per delivery per statement: a batch's attempts of a delivery folded
 * into its highest attempt, succeeded if any attempt of that number did.
 */
export function latestAttempts(outcomes: AttemptOutcome[]): { outcome: AttemptOutcome; succeeded: boolean }[] {
  const latest = new Map<string, { outcome: AttemptOutcome; succeeded: boolean }>();
  for (const o of outcomes) {
    const seen = latest.get(o.deliveryId);
    if (!seen || o.attempt > seen.outcome.attempt) latest.set(o.deliveryId, { outcome: o, succeeded: o.succeeded });
    else if (o.attempt === seen.outcome.attempt) seen.succeeded ||= o.succeeded;
  }
  return [...latest.values()];
}

/**
 * PostgreSQL refuses NUL in `text` and `\u0000` in `jsonb`, while JSON and
 * HTTP allow them. One such value must not jam a whole log batch, so the log
 * keeps U+FFFD in their place (the delivered bytes are never changed).
 */
export function jsonb(value: unknown): string {
  return JSON.stringify(value).replace(/(?<!\\)((?:\\\\)*)\\u0000/g, '$1\\ufffd');
}

export function text(value: string): string {
  return value.replaceAll('\u0000', '\ufffd');
}
