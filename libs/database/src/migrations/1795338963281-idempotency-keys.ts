import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Write-API idempotency (@hookline/idempotency; README, "APIs"). One row per
 * (caller scope, Idempotency-Key): in flight under a lease (`lock_token`,
 * `locked_until`), then completed with the response to replay. Rows live 24 h
 * from `created_at`; the index serves the purge.
 */
export class IdempotencyKeys1795338963281 implements MigrationInterface {
  name = 'IdempotencyKeys1795338963281';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE idempotency_keys (
        scope text NOT NULL,
        key text NOT NULL,
        fingerprint text NOT NULL,
        request_method text NOT NULL,
        request_path text NOT NULL,
        state text NOT NULL CHECK (state IN ('in_flight', 'completed')),
        lock_token uuid,
        locked_until timestamptz,
        response_status integer,
        response_body text,
        response_headers jsonb,
        created_at timestamptz NOT NULL DEFAULT now(),
        completed_at timestamptz,
        PRIMARY KEY (scope, key),
        CHECK (state <> 'in_flight' OR (lock_token IS NOT NULL AND locked_until IS NOT NULL)),
        CHECK (state <> 'completed' OR response_status IS NOT NULL)
      )`);
    await q.query(`CREATE INDEX idempotency_keys_created_at ON idempotency_keys (created_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE idempotency_keys`);
  }
}
