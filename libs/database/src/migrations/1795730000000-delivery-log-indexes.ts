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
    // An endpoint belongs to one tenant, which PostgreSQL cannot know by itself: without these statistics it takes
    // "tenant and endpoint" for far rarer than "endpoint" and may read both indexes whole instead of the endpoint's first page.
    await q.query(`DROP STATISTICS IF EXISTS deliveries_endpoint_tenant`);
    await q.query(`CREATE STATISTICS deliveries_endpoint_tenant (dependencies) ON endpoint_id, tenant_id FROM deliveries`);
    await q.query(`ANALYZE deliveries`);
    // Superseded: the same columns without id or in another order (deliveries), or without the live-only predicate (attempts).
    for (const name of ['deliveries_endpoint', 'deliveries_event', 'attempts_endpoint_started', 'attempts_endpoint_failed'])
      await q.query(`DROP INDEX CONCURRENTLY IF EXISTS ${name}`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP STATISTICS IF EXISTS deliveries_endpoint_tenant`);
    await q.query(`CREATE INDEX CONCURRENTLY IF NOT EXISTS deliveries_endpoint ON deliveries (endpoint_id, created_at DESC)`);
    await q.query(`CREATE INDEX CONCURRENTLY IF NOT EXISTS deliveries_event ON deliveries (tenant_id, event_id)`);
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
  // status other than succeeded, what an operator looks for: a few rows among millions, which a scan of the time order would
  // have to read the whole log to rule out. succeeded is most rows: the time order finds a page of them at once.
  ['deliveries_tenant_unsettled', `deliveries (tenant_id, status, created_at DESC, id DESC) WHERE status <> 'succeeded'`],
  ['deliveries_endpoint_unsettled', `deliveries (endpoint_id, status, created_at DESC, id DESC) WHERE status <> 'succeeded'`],
  ['deliveries_unsettled', `deliveries (status, created_at DESC, id DESC) WHERE status <> 'succeeded'`],
  // mode=test: test sends are rare, so a live-mode list never needs mode in its index and a test-mode list reads this one.
  ['deliveries_tenant_test', `deliveries (tenant_id, created_at DESC, id DESC) WHERE mode = 'test'`],
  // A global key listing every tenant.
  ['deliveries_created', `deliveries (created_at DESC, id DESC)`],
  // eventId, with or without the tenant (ids are unique within a tenant only; a global key may search them all).
  ['deliveries_event_tenant', `deliveries (event_id, tenant_id)`],
  // Retention per tenant finds a tenant's old events without reading its recent ones.
  ['events_tenant_received', `events (tenant_id, received_at)`],
  // Health counts live attempts only; the predicate keeps the window scans index-only.
  ['attempts_endpoint_started_live', `attempts (endpoint_id, started_at) INCLUDE (succeeded, duration_ms, response_status, failure_kind) WHERE mode = 'live'`],
  ['attempts_endpoint_failed_live', `attempts (endpoint_id, started_at DESC) WHERE NOT succeeded AND mode = 'live'`],
];
