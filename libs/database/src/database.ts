import { Client } from 'pg';
import type { Logger } from 'pino';
import { DataSource, type EntitySchema, type MixedList } from 'typeorm';
import { Initial1732262400000 } from './migrations/1732262400000-initial';
import { IdempotencyKeys1795338963281 } from './migrations/1795338963281-idempotency-keys';
import { ApiKeys1795400000000 } from './migrations/1795400000000-api-keys';
import { EndpointSigning1795500000000 } from './migrations/1795500000000-endpoint-signing';
import { IngestedEventIdsWithoutPublished1795600000000 } from './migrations/1795600000000-ingested-event-ids-without-published';
import { EndpointStatsIndexes1795700000000 } from './migrations/1795700000000-endpoint-stats-indexes';
import { EndpointRetryPolicy1795710000000 } from './migrations/1795710000000-endpoint-retry-policy';
import { DeliveryMode1795720000000 } from './migrations/1795720000000-delivery-mode';
import { DeliveryLogIndexes1795730000000 } from './migrations/1795730000000-delivery-log-indexes';
import { TenantSettings1795731000000 } from './migrations/1795731000000-tenant-settings';
import { EndpointRateLimit1795740000000 } from './migrations/1795740000000-endpoint-rate-limit';
import { EndpointStates1795750000000 } from './migrations/1795750000000-endpoint-states';
import { AttemptReplay1795760000000 } from './migrations/1795760000000-attempt-replay';
import { RecoveryJobs1795761000000 } from './migrations/1795761000000-recovery-jobs';
import { ExhaustedAlerts1795780000000 } from './migrations/1795780000000-exhausted-alerts';
import { EventCatalog1795790000000 } from './migrations/1795790000000-event-catalog';
import { EndpointFilter1795791000000 } from './migrations/1795791000000-endpoint-filter';
import { Rules1795792000000 } from './migrations/1795792000000-rules';
import { ChatEndpoints1795793000000 } from './migrations/1795793000000-chat-endpoints';
import { ActionContracts1795794000000 } from './migrations/1795794000000-action-contracts';
import { InboundSources1795795000000 } from './migrations/1795795000000-inbound-sources';

export const MIGRATIONS = [
  Initial1732262400000,
  IdempotencyKeys1795338963281,
  ApiKeys1795400000000,
  EndpointSigning1795500000000,
  IngestedEventIdsWithoutPublished1795600000000,
  EndpointStatsIndexes1795700000000,
  EndpointRetryPolicy1795710000000,
  DeliveryMode1795720000000,
  DeliveryLogIndexes1795730000000,
  TenantSettings1795731000000,
  EndpointRateLimit1795740000000,
  EndpointStates1795750000000,
  AttemptReplay1795760000000,
  RecoveryJobs1795761000000,
  ExhaustedAlerts1795780000000,
  EventCatalog1795790000000,
  EndpointFilter1795791000000,
  Rules1795792000000,
  ChatEndpoints1795793000000,
  ActionContracts1795794000000,
  InboundSources1795795000000,
];

// Any fixed number; every Hookline service takes this lock before migrating.
const MIGRATION_LOCK = 7_305_011;

export interface DatabaseOptions {
  url: string;
  poolSize: number;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities?: MixedList<Function | string | EntitySchema>;
  logger: Logger;
  applicationName: string;
}

/**
 * Opens the pool and brings the schema up to date. Several services start at
 * once and all call this, so migrations run under a PostgreSQL advisory lock:
 * the first runs them, the others wait and find nothing left to do.
 */
export async function openDatabase(options: DatabaseOptions): Promise<DataSource> {
  await migrate(options);
  const dataSource = new DataSource({
    type: 'postgres',
    url: options.url,
    entities: options.entities ?? [],
    migrations: MIGRATIONS,
    migrationsRun: false,
    synchronize: false,
    applicationName: options.applicationName,
    extra: { max: options.poolSize },
  });
  return dataSource.initialize();
}

async function migrate(options: DatabaseOptions): Promise<void> {
  const lock = new Client({ connectionString: options.url, application_name: `${options.applicationName}-migrate` });
  await lock.connect();
  try {
    await takeLock(lock, MIGRATION_LOCK);
    const migrator = new DataSource({ type: 'postgres', url: options.url, migrations: MIGRATIONS, migrationsTransactionMode: 'each', extra: { max: 1 } });
    await migrator.initialize();
    try {
      const ran = await migrator.runMigrations();
      if (ran.length > 0) options.logger.info({ migrations: ran.map((m) => m.name) }, 'database migrations applied');
    } finally {
      await migrator.destroy();
    }
  } finally {
    await lock.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    await lock.end();
  }
}

/**
 * Waits for the advisory lock between statements, not inside one: a session
 * blocked in `pg_advisory_lock` holds a snapshot, and `CREATE INDEX
 * CONCURRENTLY` in the migration of whoever holds the lock waits for every
 * older snapshot, so it would wait for the waiters, which wait for it.
 */
async function takeLock(client: Client, key: number): Promise<void> {
  for (;;) {
    const [{ locked }] = (await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1) AS locked', [key])).rows;
    if (locked) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export async function pingDatabase(dataSource: DataSource): Promise<void> {
  await dataSource.query('SELECT 1');
}
