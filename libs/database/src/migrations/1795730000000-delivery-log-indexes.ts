import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Indexes for the delivery log an operator searches (admin-api
 * `GET /v1/deliveries`), for log retention per tenant (log-store), and the
 * health figures reading live rows only. Every list is newest first on
 * (created_at DESC, id DESC), so each index ends with those two columns: a
 * filtered first page and a cursor page deep in the log both read only the
 * entries they return. Which index serves which filter, and what is left
 * unindexed on purpose, is written down in docs/delivery-log-indexes.md.
 *
 * Built CONCURRENTLY (outside a transaction) so that a large log keeps taking
 * log-store's writes meanwhile; an index a failed build left invalid is
 * dropped and built again.
 */
export class DeliveryLogIndexes1795730000000 implements MigrationInterface {
  name = 'DeliveryLogIndexes1795730000000';
  transaction = false;

  async up(q: QueryRunner): Promise<void> {
    for (const [name, definition] of INDEXES) {
      await q.query(`DROP INDEX CONCURRENTLY IF EXISTS ${name}`);
      await q.query(`CREATE INDEX CONCURRENTLY ${name} ON ${definition}`);
    }
    // Superseded: the same columns without id (deliveries), or without the live-only predicate (attempts).
    for (const name of ['deliveries_endpoint', 'attempts_endpoint_started', 'attempts_endpoint_failed'])
      await q.query(`DROP INDEX CONCURRENTLY IF EXISTS ${name}`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX CONCURRENTLY IF NOT EXISTS deliveries_endpoint ON deliveries (endpoint_id, created_at DESC)`);
    await q.query(
      `CREATE INDEX CONCURRENTLY IF NOT EXISTS attempts_endpoint_started ON attempts (endpoint_id, started_at) INCLUDE (succeeded, duration_ms, response_status, failure_kind)`,
    );
    await q.query(`CREATE INDEX CONCURRENTLY IF NOT EXISTS attempts_endpoint_failed ON attempts (endpoint_id, started_at DESC) WHERE NOT succeeded`);
    for (const [name] of [...INDEXES].reverse()) await q.query(`DROP INDEX CONCURRENTLY IF EXISTS ${name}`);
  }
}

const INDEXES: [name: string, definition: string][] = [
  // endpointId (and the run of failures in an endpoint's health).
  ['deliveries_endpoint_created', `deliveries (endpoint_id, created_at DESC, id DESC)`],
  // eventType.
  ['deliveries_tenant_type_created', `deliveries (tenant_id, event_type, created_at DESC, id DESC)`],
  // status=failing|dead, what an operator looks for: a few rows among millions. pending and succeeded are most rows and need no index of their own.
  ['deliveries_tenant_unsettled', `deliveries (tenant_id, status, created_at DESC, id DESC) WHERE status IN ('failing', 'dead')`],
  ['deliveries_endpoint_unsettled', `deliveries (endpoint_id, status, created_at DESC, id DESC) WHERE status IN ('failing', 'dead')`],
  // mode=test: test sends are rare, so a live-mode list never needs mode in its index and a test-mode list reads this one.
  ['deliveries_tenant_test', `deliveries (tenant_id, created_at DESC, id DESC) WHERE mode = 'test'`],
  // A global key listing every tenant.
  ['deliveries_created', `deliveries (created_at DESC, id DESC)`],
  // Retention per tenant finds a tenant's old events without reading its recent ones.
  ['events_tenant_received', `events (tenant_id, received_at)`],
  // Health counts live attempts only; the predicate keeps the window scans index-only.
  ['attempts_endpoint_started_live', `attempts (endpoint_id, started_at) INCLUDE (succeeded, duration_ms, response_status, failure_kind) WHERE mode = 'live'`],
  ['attempts_endpoint_failed_live', `attempts (endpoint_id, started_at DESC) WHERE NOT succeeded AND mode = 'live'`],
];
