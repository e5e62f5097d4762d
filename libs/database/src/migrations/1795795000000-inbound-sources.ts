import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Inbound webhooks: the sources providers call (their verifying secret sealed
 * under the master key), and the inbound log of every request to them,
 * accepted or refused (a body only when the source's operator opted in).
 */
export class InboundSources1795795000000 implements MigrationInterface {
  name = 'InboundSources1795795000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE inbound_sources (
        id uuid PRIMARY KEY,
        tenant_id text NOT NULL,
        provider text NOT NULL,
        name text NOT NULL,
        secret text,
        public_key text,
        options jsonb NOT NULL,
        event_type_prefix text NOT NULL,
        enabled boolean NOT NULL,
        store_bodies boolean NOT NULL,
        version integer NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        deleted_at timestamptz
      )`);
    await q.query(`CREATE UNIQUE INDEX inbound_sources_tenant_name ON inbound_sources (tenant_id, name) WHERE deleted_at IS NULL`);
    await q.query(`CREATE INDEX inbound_sources_tenant_created ON inbound_sources (tenant_id, created_at, id) WHERE deleted_at IS NULL`);
    await q.query(`
      CREATE TABLE inbound_log (
        id uuid PRIMARY KEY,
        source_id uuid NOT NULL,
        tenant_id text,
        received_at timestamptz NOT NULL,
        outcome text NOT NULL,
        status integer NOT NULL,
        reason text,
        detail text,
        size integer NOT NULL,
        event_ids text[] NOT NULL DEFAULT '{}',
        body text
      )`);
    await q.query(`CREATE INDEX inbound_log_by_source ON inbound_log (source_id, received_at DESC, id DESC)`);
    await q.query(`CREATE INDEX inbound_log_received ON inbound_log (received_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE inbound_log`);
    await q.query(`DROP TABLE inbound_sources`);
  }
}
