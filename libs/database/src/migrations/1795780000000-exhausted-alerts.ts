import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The retry-scheduler's rate limit on `delivery.exhausted` (README,
 * "Operational events"), kept in PostgreSQL so that a restart in the middle
 * of an outage does not announce every endpoint again:
 * - `exhausted_alerts`: one row per endpoint with the last event emitted about
 *   it (the start of its window, the delivery it named, the envelope itself and
 *   whether Kafka acknowledged it, so a crash before that re-sends the same one);
 * - `exhausted_alert_backlog`: the deliveries given up since then without an
 *   event of their own, by id, so a redone batch does not count one twice.
 *   Emptied into `alsoExhausted` by the next event.
 */
export class ExhaustedAlerts1795780000000 implements MigrationInterface {
  name = 'ExhaustedAlerts1795780000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE exhausted_alerts (
        endpoint_id uuid PRIMARY KEY,
        window_started_at timestamptz,
        subject_delivery_id uuid,
        event jsonb,
        trace_headers jsonb NOT NULL DEFAULT '{}',
        published boolean NOT NULL DEFAULT true
      )`);
    await q.query(`
      CREATE TABLE exhausted_alert_backlog (
        endpoint_id uuid NOT NULL,
        delivery_id uuid NOT NULL,
        PRIMARY KEY (endpoint_id, delivery_id)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE exhausted_alert_backlog`);
    await q.query(`DROP TABLE exhausted_alerts`);
  }
}
