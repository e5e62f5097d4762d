import type { MigrationInterface, QueryRunner } from 'typeorm';

/** An endpoint's filter: a condition (libs/conditions) an event must match to be delivered to it; null delivers every subscribed event. */
export class EndpointFilter1795791000000 implements MigrationInterface {
  name = 'EndpointFilter1795791000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE endpoints ADD COLUMN filter jsonb`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE endpoints DROP COLUMN filter`);
  }
}
