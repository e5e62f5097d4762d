import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Test deliveries (admin-api `POST …/endpoints/:id/test`) are kept in the
 * same log as real ones but apart from them: `mode` is `live` for every
 * delivery the pipeline makes (and every existing row) and `test` for a test
 * send. Lists show one mode at a time; health figures and the auto-disable
 * count read `live` only. A column with a constant default is added without
 * rewriting the table.
 */
export class DeliveryMode1795720000000 implements MigrationInterface {
  name = 'DeliveryMode1795720000000';

  async up(q: QueryRunner): Promise<void> {
    for (const table of ['deliveries', 'attempts']) {
      await q.query(`ALTER TABLE ${table} ADD COLUMN mode text NOT NULL DEFAULT 'live' CONSTRAINT ${table}_mode_known CHECK (mode IN ('live', 'test'))`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['deliveries', 'attempts']) await q.query(`ALTER TABLE ${table} DROP COLUMN mode`);
  }
}
