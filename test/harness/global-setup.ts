import { startInfra } from '@hookline/infra';

/**
 * Starts one real Kafka broker and one real PostgreSQL for the whole test run,
 * in a temporary folder on ports no other Hookline run on this machine uses,
 * unless KAFKA_BROKERS / DATABASE_URL point at existing servers. Each suite
 * then takes its own database and topic prefix (see test-stack.ts and
 * @hookline/stack), so suites never see each other's data.
 */
export default async function globalSetup(): Promise<void> {
  const log = process.env.HOOKLINE_TEST_VERBOSE ? (m: string) => process.stderr.write(`[infra] ${m}\n`) : undefined;
  const infra = await startInfra({ useEnvironment: true, postgresSettings: { max_connections: 500 }, log });
  process.env.HOOKLINE_TEST_KAFKA_BROKERS = infra.brokers;
  process.env.HOOKLINE_TEST_DATABASE_URL = infra.databaseUrl;
  (globalThis as Record<string, unknown>).__hooklineInfra = infra;
}
