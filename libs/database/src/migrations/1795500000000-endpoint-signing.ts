import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Per-endpoint signature schemes and key pairs (README, "Security: verifying a delivery"). `signing_keys` holds
 * `{ keyId, algorithm, publicKey, privateKey, createdAt }` entries whose
 * private keys are sealed under the master key, like `secrets` entries.
 * Existing endpoints keep signing with `v1`. Secrets stored in plaintext by
 * earlier versions are sealed by admin-api at start (it holds the master key;
 * a migration does not).
 */
export class EndpointSigning1795500000000 implements MigrationInterface {
  name = 'EndpointSigning1795500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE endpoints ADD COLUMN signature_schemes text[] NOT NULL DEFAULT '{v1}'`);
    await q.query(`ALTER TABLE endpoints ADD COLUMN signing_keys jsonb NOT NULL DEFAULT '[]'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE endpoints DROP COLUMN signing_keys`);
    await q.query(`ALTER TABLE endpoints DROP COLUMN signature_schemes`);
  }
}
