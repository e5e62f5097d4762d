import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Action contracts: the operations of a tenant's backend Hookline may call
 * (their signing secret sealed under the master key), the audit of every
 * invocation, and the roles an API key holds, which a contract may require.
 */
export class ActionContracts1795794000000 implements MigrationInterface {
  name = 'ActionContracts1795794000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE api_keys ADD COLUMN roles text[] NOT NULL DEFAULT '{}'`);
    await q.query(`
      CREATE TABLE action_contracts (
        id uuid PRIMARY KEY,
        tenant_id text NOT NULL,
        name text NOT NULL,
        description text NOT NULL,
        url text NOT NULL,
        method text NOT NULL,
        input_schema jsonb NOT NULL,
        output_schema jsonb,
        timeout_ms integer NOT NULL,
        allowed_roles text[] NOT NULL,
        signature_schemes text[] NOT NULL,
        secret text NOT NULL,
        version integer NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        deleted_at timestamptz
      )`);
    await q.query(`CREATE UNIQUE INDEX action_contracts_tenant_name ON action_contracts (tenant_id, name) WHERE deleted_at IS NULL`);
    await q.query(`CREATE INDEX action_contracts_tenant_created ON action_contracts (tenant_id, created_at, id) WHERE deleted_at IS NULL`);
    await q.query(`
      CREATE TABLE action_invocations (
        id text PRIMARY KEY,
        tenant_id text NOT NULL,
        contract_id uuid NOT NULL,
        contract_version integer NOT NULL,
        caller text NOT NULL,
        origin text NOT NULL,
        input_digest text NOT NULL,
        status text NOT NULL,
        http_status integer,
        error text,
        duration_ms integer NOT NULL,
        attempts integer NOT NULL DEFAULT 1,
        idempotency_key text,
        event_id text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX action_invocations_by_contract ON action_invocations (tenant_id, contract_id, created_at DESC, id DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE action_invocations`);
    await q.query(`DROP TABLE action_contracts`);
    await q.query(`ALTER TABLE api_keys DROP COLUMN roles`);
  }
}
