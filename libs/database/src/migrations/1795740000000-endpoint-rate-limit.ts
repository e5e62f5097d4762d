import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An endpoint's delivery limits, enforced by the dispatcher (README, "Delivery
 * semantics"): `rate_limit` as the endpoints topic carries it (`{ perSecond,
 * burst }`) and `max_in_flight`. Null, as on every existing endpoint, is no
 * rate limit and the dispatcher's own concurrency cap. Adding nullable columns
 * without a default rewrites no row.
 */
export class EndpointRateLimit1795740000000 implements MigrationInterface {
  name = 'EndpointRateLimit1795740000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE endpoints ADD COLUMN rate_limit jsonb, ADD COLUMN max_in_flight integer`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE endpoints DROP COLUMN rate_limit, DROP COLUMN max_in_flight`);
  }
}
