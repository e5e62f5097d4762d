import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Per-tenant settings, written by admin-api (`PUT /v1/tenants/:tenantId/settings`)
 * and read by log-store. A tenant without a row, or with a null value, has
 * the installation's default (log-store's HOOKLINE_LOG_RETENTION_DAYS).
 */
export class TenantSettings1795731000000 implements MigrationInterface {
  name = 'TenantSettings1795731000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE tenant_settings (
        tenant_id text PRIMARY KEY,
        log_retention_days integer CONSTRAINT tenant_settings_retention_range CHECK (log_retention_days BETWEEN 1 AND 3650),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE tenant_settings`);
  }
}
