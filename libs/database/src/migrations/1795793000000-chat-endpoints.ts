import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A chat endpoint's settings: `{ tool, url, telegramChatId, template }`, its
 * URL sealed under the master key (it holds the tool's token); null for a
 * webhook endpoint.
 */
export class ChatEndpoints1795793000000 implements MigrationInterface {
  name = 'ChatEndpoints1795793000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE endpoints ADD COLUMN chat jsonb`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE endpoints DROP COLUMN chat`);
  }
}
