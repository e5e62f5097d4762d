import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Who replayed an attempt (admin-api `POST /v1/deliveries/:id/replay` or a
 * recovery job): `{ by, at, jobId? }` on every attempt of a replayed chain,
 * null on the others. A nullable column without a default is added without
 * rewriting the table.
 */
export class AttemptReplay1795760000000 implements MigrationInterface {
  name = 'AttemptReplay1795760000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE attempts ADD COLUMN replay jsonb`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE attempts DROP COLUMN replay`);
  }
}
