import { openDatabase, type DataSource } from '@hookline/database';
import { withDatabase } from '@hookline/infra';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import pino from 'pino';

/**
 * Every service migrates at start, several at once. One runs the migrations
 * while the others wait for it; an index built CONCURRENTLY waits in turn for
 * every statement in flight on the database, so those others must not wait
 * inside a statement (regression: they waited in pg_advisory_lock and the
 * build never finished).
 */
describe('migrations run by several services at once', () => {
  const server = process.env.HOOKLINE_TEST_DATABASE_URL ?? '';
  const name = `hl_medium_${randomBytes(5).toString('hex')}`;
  const opened: DataSource[] = [];
  const onServer = async (sql: string) => {
    const client = new Client({ connectionString: server });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  beforeAll(() => onServer(`CREATE DATABASE ${name}`));
  afterAll(async () => {
    for (const db of opened) await db.destroy();
    await onServer(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  });

  it('bring an empty database up to date, every one of them, within seconds', async () => {
    const url = withDatabase(server, name);
    const open = (i: number) =>
      openDatabase({ url, poolSize: 1, logger: pino({ level: 'silent' }), applicationName: `hookline-migrate-${i}` }).then((db) => opened.push(db));
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<string>((resolve) => (timer = setTimeout(() => resolve('still migrating after 20 s'), 20_000)));
    const outcome = await Promise.race([Promise.all([0, 1, 2, 3].map(open)).then(() => 'all migrated'), deadline]);
    clearTimeout(timer);
    expect(outcome).toBe('all migrated');
    const [{ count }] = await opened[0].query<{ count: string }[]>(
      `SELECT count(*) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE c.relname LIKE 'attempts_endpoint_%' AND i.indisvalid`,
    );
    expect(Number(count)).toBe(2);
  }, 60_000);
});
