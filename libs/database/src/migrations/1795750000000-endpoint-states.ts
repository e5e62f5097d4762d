import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Endpoint states (README, "Endpoint states"):
 * - endpoints: the state, who or what set it and why, the endpoint version it
 *   was set at, and the auto-disable threshold. `enabled` is kept in step
 *   (state <> 'disabled') for readers of the column from before states.
 * - endpoint_state_events: the outbox of `endpoint.*` operational events,
 *   written in the transaction that changes the state (admin-api relays them).
 * - retry_schedule: a held row (paused endpoint) has no due time; it records
 *   the endpoint version it was held at and its place in the release order.
 * - endpoint_failure_runs: the retry-scheduler's run of consecutive failed
 *   deliveries per endpoint, as their ids (so a redone batch counts none twice).
 * Not in a transaction so that the held-rows index builds CONCURRENTLY on a
 * large schedule; every statement is idempotent, so a half-run migration is
 * simply run again.
 */
export class EndpointStates1795750000000 implements MigrationInterface {
  name = 'EndpointStates1795750000000';
  transaction = false;

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE endpoints
        ADD COLUMN IF NOT EXISTS state text,
        ADD COLUMN IF NOT EXISTS state_cause text,
        ADD COLUMN IF NOT EXISTS state_actor text,
        ADD COLUMN IF NOT EXISTS state_reason text,
        ADD COLUMN IF NOT EXISTS state_changed_at timestamptz,
        ADD COLUMN IF NOT EXISTS state_version integer,
        ADD COLUMN IF NOT EXISTS disable_after_failures integer NOT NULL DEFAULT 10`);
    await q.query(`UPDATE endpoints SET state = CASE WHEN enabled THEN 'enabled' ELSE 'disabled' END, state_version = version WHERE state IS NULL`);
    await q.query(`ALTER TABLE endpoints ALTER COLUMN state SET DEFAULT 'enabled', ALTER COLUMN state SET NOT NULL`);
    await q.query(`ALTER TABLE endpoints ALTER COLUMN state_version SET DEFAULT 1, ALTER COLUMN state_version SET NOT NULL`);
    await q.query(`
      CREATE TABLE IF NOT EXISTS endpoint_state_events (
        id text PRIMARY KEY,
        tenant_id text NOT NULL,
        endpoint_id uuid NOT NULL,
        endpoint_version integer NOT NULL,
        event jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE IF NOT EXISTS endpoint_failure_runs (
        endpoint_id uuid PRIMARY KEY,
        tenant_id text NOT NULL,
        failed_deliveries uuid[] NOT NULL DEFAULT '{}',
        state_version integer NOT NULL,
        disable_requested boolean NOT NULL DEFAULT false,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`ALTER TABLE retry_schedule ALTER COLUMN due_at DROP NOT NULL`);
    await q.query(`
      ALTER TABLE retry_schedule
        ADD COLUMN IF NOT EXISTS held_version integer,
        ADD COLUMN IF NOT EXISTS hold_order bigint,
        ADD COLUMN IF NOT EXISTS event_received_at timestamptz`);
    await q.query(`CREATE SEQUENCE IF NOT EXISTS retry_schedule_hold_order`);
    await q.query(`DROP INDEX CONCURRENTLY IF EXISTS retry_schedule_held`);
    await q.query(`CREATE INDEX CONCURRENTLY retry_schedule_held ON retry_schedule (endpoint_id, event_received_at, hold_order) WHERE due_at IS NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX CONCURRENTLY IF EXISTS retry_schedule_held`);
    await q.query(`DELETE FROM retry_schedule WHERE due_at IS NULL`);
    await q.query(`ALTER TABLE retry_schedule DROP COLUMN IF EXISTS held_version, DROP COLUMN IF EXISTS hold_order, DROP COLUMN IF EXISTS event_received_at`);
    await q.query(`ALTER TABLE retry_schedule ALTER COLUMN due_at SET NOT NULL`);
    await q.query(`DROP SEQUENCE IF EXISTS retry_schedule_hold_order`);
    await q.query(`DROP TABLE IF EXISTS endpoint_failure_runs`);
    await q.query(`DROP TABLE IF EXISTS endpoint_state_events`);
    await q.query(`
      ALTER TABLE endpoints DROP COLUMN IF EXISTS state, DROP COLUMN IF EXISTS state_cause, DROP COLUMN IF EXISTS state_actor,
        DROP COLUMN IF EXISTS state_reason, DROP COLUMN IF EXISTS state_changed_at, DROP COLUMN IF EXISTS state_version,
        DROP COLUMN IF EXISTS disable_after_failures`);
  }
}
