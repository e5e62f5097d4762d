import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The event catalog of each tenant, written by admin-api
 * (`/v1/tenants/:tenantId/event-types`) and carried to ingest over the
 * compacted topic `hookline.event-types.changed.v1`. A row is either a custom
 * type (its current schema and example) or a tenant's settings on a built-in
 * type (`builtin`, no schema: the schema is Hookline's own). `revision` counts
 * every change; `published_revision` is what the topic has, so a change that
 * could not be published at once is published by the relay later.
 * `event_type_versions` keeps every schema a custom type has had;
 * `events.schema_violations` flags an event accepted under mode `warn`.
 */
export class EventCatalog1795790000000 implements MigrationInterface {
  name = 'EventCatalog1795790000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE event_types (
        tenant_id text NOT NULL,
        name text NOT NULL,
        builtin boolean NOT NULL,
        description text NOT NULL DEFAULT '',
        schema jsonb,
        example jsonb,
        version integer NOT NULL DEFAULT 1,
        schema_mode text NOT NULL DEFAULT 'off' CONSTRAINT event_types_schema_mode CHECK (schema_mode IN ('off', 'warn', 'enforce')),
        deprecated boolean NOT NULL DEFAULT false,
        revision integer NOT NULL DEFAULT 1,
        published_revision integer NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, name),
        CONSTRAINT event_types_custom_has_schema CHECK (builtin OR schema IS NOT NULL)
      )`);
    await q.query(`CREATE INDEX event_types_unpublished ON event_types (updated_at) WHERE published_revision < revision`);
    await q.query(`
      CREATE TABLE event_type_versions (
        tenant_id text NOT NULL,
        name text NOT NULL,
        version integer NOT NULL,
        description text NOT NULL,
        schema jsonb NOT NULL,
        example jsonb,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, name, version),
        FOREIGN KEY (tenant_id, name) REFERENCES event_types (tenant_id, name) ON DELETE CASCADE
      )`);
    // An event accepted under schema mode `warn` although its data failed the schema: where, and which rule.
    await q.query(`ALTER TABLE events ADD COLUMN schema_violations jsonb`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE events DROP COLUMN schema_violations`);
    await q.query(`DROP TABLE event_type_versions`);
    await q.query(`DROP TABLE event_types`);
  }
}
