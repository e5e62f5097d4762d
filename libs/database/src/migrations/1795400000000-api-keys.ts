import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * API keys (README, "APIs"): only the SHA-256 of a key is stored, so a dump of the
 * table holds no usable credential. `tenant_id` NULL = a global key. Revoked
 * rows stay for the audit trail; the partial index serves live look-ups.
 */
export class ApiKeys1795400000000 implements MigrationInterface {
  name = 'ApiKeys1795400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE api_keys (
        id uuid PRIMARY KEY,
        tenant_id text,
        name text NOT NULL,
        scopes text[] NOT NULL,
        key_hash text NOT NULL UNIQUE,
        created_at timestamptz NOT NULL DEFAULT now(),
        revoked_at timestamptz,
        last_used_at timestamptz
      )`);
    await q.query(`CREATE INDEX api_keys_tenant_created ON api_keys (tenant_id, created_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE api_keys`);
  }
}
