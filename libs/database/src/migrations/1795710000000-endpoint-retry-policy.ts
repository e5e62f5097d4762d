import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An endpoint's own retry policy (README, "Delivery semantics"), as the
 * endpoints topic carries it: `{ delaysMs }` or `{ initialMs, factor,
 * maxDelayMs, attempts }`. Null, as on every existing endpoint, is the default
 * schedule.
 */
export class EndpointRetryPolicy1795710000000 implements MigrationInterface {
  name = 'EndpointRetryPolicy1795710000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE endpoints ADD COLUMN retry_policy jsonb`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE endpoints DROP COLUMN retry_policy`);
  }
}
