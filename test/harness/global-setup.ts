import { chmodSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startKafka, startPostgres, type KafkaServer, type PostgresServer } from '@hookline/infra';

/**
 * Starts one real Kafka broker and one real PostgreSQL for the whole test run,
 * on free ports in a temporary folder, unless KAFKA_BROKERS / DATABASE_URL
 * point at existing servers. Each suite then takes its own database and topic
 * prefix (see test-stack.ts and @hookline/stack), so suites never see each other's data.
 */
export default async function globalSetup(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'hookline-test-'));
  // When run as root, PostgreSQL runs as an unprivileged account that must reach its data folder.
  chmodSync(dir, 0o755);
  const log = process.env.HOOKLINE_TEST_VERBOSE ? (m: string) => process.stderr.write(`[infra] ${m}\n`) : undefined;
  const started: { kafka?: KafkaServer; postgres?: PostgresServer } = {};
  const [brokers, databaseUrl] = await Promise.all([
    process.env.KAFKA_BROKERS ?? startKafka({ dataDir: join(dir, 'kafka'), log }).then((k) => ((started.kafka = k), k.brokers)),
    process.env.DATABASE_URL ??
      startPostgres({ dataDir: join(dir, 'postgres'), log, settings: { max_connections: 500 } }).then((p) => ((started.postgres = p), p.url)),
  ]);
  process.env.HOOKLINE_TEST_KAFKA_BROKERS = brokers;
  process.env.HOOKLINE_TEST_DATABASE_URL = databaseUrl;
  (globalThis as Record<string, unknown>).__hooklineInfra = started;
}
