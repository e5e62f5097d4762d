import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Indexes for an endpoint's health (admin-api `GET …/endpoints/:id/stats`).
 * attempts had only (delivery_id, attempt_number), so any per-endpoint figure
 * scanned the whole table:
 * - attempts_endpoint_started: the window figures read one endpoint's entries
 *   of the last hour or day, and the columns they aggregate are included, so
 *   the scan is index-only once vacuum has marked the pages visible;
 * - attempts_endpoint_failed: the last error is the first entry of a partial
 *   index of failed attempts, however many successes came after it.
 * The run of failed deliveries uses deliveries_endpoint (endpoint_id,
 * created_at DESC) from the start and reads back only to the last success.
 * Built CONCURRENTLY (outside a transaction) so that a large attempts table
 * keeps taking log-store's writes meanwhile; an index a failed build left
 * invalid is dropped and built again.
 */
export class EndpointStatsIndexes1795700000000 implements MigrationInterface {
  name = 'EndpointStatsIndexes1795700000000';
  transaction = false;

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX CONCURRENTLY IF EXISTS attempts_endpoint_started`);
    await q.query(
      `CREATE INDEX CONCURRENTLY attempts_endpoint_started ON attempts (endpoint_id, started_at) INCLUDE (succeeded, duration_ms, response_status, failure_kind)`,
    );
    await q.query(`DROP INDEX CONCURRENTLY IF EXISTS attempts_endpoint_failed`);
    await q.query(`CREATE INDEX CONCURRENTLY attempts_endpoint_failed ON attempts (endpoint_id, started_at DESC) WHERE NOT succeeded`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX CONCURRENTLY IF EXISTS attempts_endpoint_failed`);
    await q.query(`DROP INDEX CONCURRENTLY IF EXISTS attempts_endpoint_started`);
  }
}
