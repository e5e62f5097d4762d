import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * ingest no longer marks event ids as published: an id is claimed in the same
 * transaction that publishes it (a failed publish rolls the claim back), so
 * the `published` flag is gone. Databases created before that still have the
 * column; this brings them to the same shape as new ones.
 */
export class IngestedEventIdsWithoutPublished1795600000000 implements MigrationInterface {
  name = 'IngestedEventIdsWithoutPublished1795600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE ingested_event_ids DROP COLUMN IF EXISTS published`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE ingested_event_ids ADD COLUMN IF NOT EXISTS published boolean NOT NULL DEFAULT true`);
  }
}
