import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Automation rules, written by admin-api (`/v1/tenants/:tenantId/rules`) and
 * carried to rules-engine over the compacted topic `hookline.rules.changed.v1`
 * (`published_version` is what the topic has; the relay publishes the rest).
 * A delivery a rule's action made records the rule and, when the action
 * transformed the event, the body it sends, so a replay sends that body again.
 */
export class Rules1795792000000 implements MigrationInterface {
  name = 'Rules1795792000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE rules (
        id uuid PRIMARY KEY,
        tenant_id text NOT NULL,
        name text NOT NULL,
        enabled boolean NOT NULL,
        trigger jsonb NOT NULL,
        conditions jsonb,
        actions jsonb NOT NULL,
        version integer NOT NULL DEFAULT 1,
        published_version integer NOT NULL DEFAULT 0,
        deleted_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX rules_tenant ON rules (tenant_id, created_at, id) WHERE deleted_at IS NULL`);
    await q.query(`CREATE INDEX rules_unpublished ON rules (updated_at) WHERE published_version < version`);
    await q.query(`ALTER TABLE deliveries ADD COLUMN rule jsonb, ADD COLUMN body jsonb`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE deliveries DROP COLUMN rule, DROP COLUMN body`);
    await q.query(`DROP TABLE rules`);
  }
}
