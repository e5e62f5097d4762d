import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Initial1732262400000 implements MigrationInterface {
  name = 'Initial1732262400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE endpoints (
        id uuid PRIMARY KEY,
        tenant_id text NOT NULL,
        url text NOT NULL,
        description text NOT NULL DEFAULT '',
        event_types text[] NOT NULL,
        secrets jsonb NOT NULL,
        headers jsonb NOT NULL DEFAULT '{}',
        enabled boolean NOT NULL DEFAULT true,
        timeout_ms integer NOT NULL DEFAULT 10000,
        version integer NOT NULL DEFAULT 1,
        published_version integer NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        deleted_at timestamptz
      )`);
    await q.query(`CREATE INDEX endpoints_tenant ON endpoints (tenant_id, created_at, id) WHERE deleted_at IS NULL`);
    await q.query(`CREATE INDEX endpoints_unpublished ON endpoints (updated_at) WHERE published_version < version`);

    await q.query(`
      CREATE TABLE ingested_event_ids (
        tenant_id text NOT NULL,
        event_id text NOT NULL,
        first_seen_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, event_id)
      )`);
    await q.query(`CREATE INDEX ingested_event_ids_age ON ingested_event_ids (first_seen_at)`);

    await q.query(`
      CREATE TABLE events (
        tenant_id text NOT NULL,
        id text NOT NULL,
        type text NOT NULL,
        data jsonb NOT NULL,
        occurred_at timestamptz NOT NULL,
        received_at timestamptz NOT NULL,
        PRIMARY KEY (tenant_id, id)
      )`);

    await q.query(`
      CREATE TABLE deliveries (
        id uuid PRIMARY KEY,
        tenant_id text NOT NULL,
        event_id text NOT NULL,
        endpoint_id uuid NOT NULL,
        event_type text NOT NULL,
        status text NOT NULL,
        attempt_count integer NOT NULL DEFAULT 0,
        last_attempt_at timestamptz,
        last_response_status integer,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX deliveries_tenant_created ON deliveries (tenant_id, created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX deliveries_endpoint ON deliveries (endpoint_id, created_at DESC)`);
    await q.query(`CREATE INDEX deliveries_event ON deliveries (tenant_id, event_id)`);

    await q.query(`
      CREATE TABLE attempts (
        id uuid PRIMARY KEY,
        delivery_id uuid NOT NULL,
        tenant_id text NOT NULL,
        endpoint_id uuid NOT NULL,
        attempt_number integer NOT NULL,
        url text NOT NULL,
        succeeded boolean NOT NULL,
        failure_kind text,
        failure_message text,
        request_headers jsonb NOT NULL,
        response_status integer,
        response_headers jsonb,
        response_body text,
        response_body_truncated boolean NOT NULL DEFAULT false,
        duration_ms integer NOT NULL,
        started_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX attempts_delivery ON attempts (delivery_id, attempt_number)`);

    await q.query(`
      CREATE TABLE retry_schedule (
        delivery_id uuid PRIMARY KEY,
        next_attempt integer NOT NULL,
        due_at timestamptz NOT NULL,
        tenant_id text NOT NULL,
        endpoint_id uuid NOT NULL,
        request jsonb NOT NULL,
        trace_headers jsonb NOT NULL DEFAULT '{}'
      )`);
    await q.query(`CREATE INDEX retry_schedule_due ON retry_schedule (due_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['retry_schedule', 'attempts', 'deliveries', 'events', 'ingested_event_ids', 'endpoints']) {
      await q.query(`DROP TABLE IF EXISTS ${table}`);
    }
  }
}
