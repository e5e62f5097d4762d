import { startInfra, type Infra } from '@hookline/infra';

/**
 * The infrastructure of a test run, started once for it: PostgreSQL for the
 * medium tier (`postgresOnly`), Kafka and PostgreSQL for the end-to-end tier,
 * each in a temporary folder on ports no other Hookline run on this machine
 * uses, unless KAFKA_BROKERS / DATABASE_URL point at existing servers. When
 * both tiers run, the second reuses the PostgreSQL the first started. Each
 * file then takes its own database and each suite its own topic prefix
 * (libs/testing `freshDatabase`, test-stack.ts), so they never see each other's data.
 */
export async function startTestInfra(postgresOnly: boolean): Promise<void> {
  const log = process.env.HOOKLINE_TEST_VERBOSE ? (m: string) => process.stderr.write(`[infra] ${m}\n`) : undefined;
  const haveDatabase = Boolean(process.env.HOOKLINE_TEST_DATABASE_URL);
  const haveBroker = Boolean(process.env.HOOKLINE_TEST_KAFKA_BROKERS);
  const wanted = { postgres: !haveDatabase, kafka: !postgresOnly && !haveBroker };
  if (!wanted.postgres && !wanted.kafka) return;
  const infra = await startInfra({ useEnvironment: true, postgresSettings: { max_connections: 500 }, log, servers: wanted });
  if (wanted.postgres) process.env.HOOKLINE_TEST_DATABASE_URL = infra.databaseUrl;
  if (wanted.kafka) process.env.HOOKLINE_TEST_KAFKA_BROKERS = infra.brokers;
  started().push(infra);
}

/** What this run's setups started, stopped once by the teardown of whichever tier ends last. */
export function started(): Infra[] {
  const holder = globalThis as { __hooklineInfra?: Infra[] };
  return (holder.__hooklineInfra ??= []);
}

export default function globalSetup(): Promise<void> {
  return startTestInfra(false);
}
