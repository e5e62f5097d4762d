import { openDatabase, type DataSource } from '@hookline/database';
import { withDatabase } from '@hookline/infra';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import pino from 'pino';

/** The run's PostgreSQL server (started by the Jest global setup). */
function testServerUrl(): string {
  const url = process.env.HOOKLINE_TEST_DATABASE_URL;
  if (!url) throw new Error('HOOKLINE_TEST_DATABASE_URL is not set: run the tests through jest (the medium and e2e tiers start PostgreSQL)');
  return url;
}

async function onServer<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: testServerUrl() });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * A database of its own for one test file, on the run's PostgreSQL, migrated
 * like a service's: created before the file's tests, dropped after them, so
 * files never see each other's rows. `db` holds the given TypeORM entities.
 */
export function freshDatabase(entities: NonNullable<Parameters<typeof openDatabase>[0]['entities']> = []): { readonly url: string; readonly db: DataSource } {
  const name = `hl_medium_${randomBytes(5).toString('hex')}`;
  let url = '';
  let db: DataSource | undefined;
  beforeAll(async () => {
    await onServer((client) => client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`));
    url = withDatabase(testServerUrl(), name);
    db = await openDatabase({ url, poolSize: 20, entities, logger: pino({ level: 'silent' }), applicationName: 'hookline-medium-test' });
  }, 60_000);
  afterAll(async () => {
    await db?.destroy();
    await onServer((client) => client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(name)} WITH (FORCE)`));
  });
  return {
    get url() {
      return url;
    },
    get db() {
      if (!db) throw new Error('the fresh database is ready in tests, not while they are declared');
      return db;
    },
  };
}
