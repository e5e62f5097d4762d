import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Recovery jobs (admin-api `POST …/endpoints/:id/recover`): the resend of an
 * endpoint's deliveries of a time range, run by admin-api's recovery runner.
 * - `cursor_created_at`, `cursor_id`: the last delivery sent, in (created_at,
 *   id) order; the runner goes on after it, so a restart resumes there.
 * - `pending_page`: the page being sent (delivery ids and attempt numbers),
 *   stored before it goes to Kafka and cleared with the cursor's advance once
 *   the broker has it, so a page redone after a crash sends the same requests.
 * - `lease_owner`, `lease_until`: the runner instance working on the job; an
 *   expired lease (a killed runner) lets another instance take it over.
 * A new table: nothing to lock.
 */
export class RecoveryJobs1795761000000 implements MigrationInterface {
  name = 'RecoveryJobs1795761000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE recovery_jobs (
        id uuid PRIMARY KEY,
        tenant_id text NOT NULL,
        endpoint_id uuid NOT NULL,
        since timestamptz NOT NULL,
        until timestamptz NOT NULL,
        statuses text[] NOT NULL,
        state text NOT NULL CONSTRAINT recovery_jobs_state_known CHECK (state IN ('queued', 'running', 'done', 'cancelled', 'failed')),
        total integer NOT NULL,
        done integer NOT NULL DEFAULT 0,
        failed integer NOT NULL DEFAULT 0,
        cursor_created_at timestamptz,
        cursor_id uuid,
        pending_page jsonb,
        lease_owner text,
        lease_until timestamptz,
        error text,
        created_by text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX recovery_jobs_tenant ON recovery_jobs (tenant_id, created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX recovery_jobs_active ON recovery_jobs (created_at) WHERE state IN ('queued', 'running')`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE recovery_jobs`);
  }
}
