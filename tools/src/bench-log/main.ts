#!/usr/bin/env node
/*
 * `npm run bench:log`: the delivery log at production size. Starts its own
 * PostgreSQL (temporary folder, free port), brings a fresh database up to date
 * with Hookline's migrations, fills it with --attempts attempts (default 10 M)
 * and their deliveries and events (fill.ts), VACUUM ANALYZE, then asks a real
 * admin-api process (apps/admin-api/dist/main.js, with a Kafka of its own)
 * for a first page and a deep cursor page of every filter combination
 * (cases.ts), timing each over HTTP. A second pass with auto_explain on prints
 * the plan's scans and the SQL time of the list statement.
 *
 *   npm run bench:log -- [--attempts 10000000] [--runs 5] [--keep]
 *
 * The fill drops the log's indexes and builds them again from the definitions
 * the migrations made (faster than maintaining them row by row), so the
 * measured indexes are exactly the migrated ones.
 */
import { freePort, startKafka, startPostgres, waitFor, type KafkaServer } from '@hookline/infra';
import { openDatabase } from '@hookline/database';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import pino from 'pino';
import { integerFlag, parseFlags, UsageError } from '../flags';
import { casesFor, deepCursor, plansIn, type Case, type LoggedPlan } from './cases';
import { fill, planFor } from './fill';

const log = (msg: string) => void process.stderr.write(`[bench:log] ${new Date().toISOString().slice(11, 19)} ${msg}\n`);
const TOKEN = `bench-admin-${randomBytes(12).toString('hex')}`;

async function main(): Promise<void> {
  const flags = parseFlags(process.argv.slice(2), { attempts: { type: 'string' }, runs: { type: 'string' }, keep: { type: 'boolean' } });
  const attempts = integerFlag(flags.attempts ?? '10000000', 'attempts', 1000, 100_000_000);
  const runs = integerFlag(flags.runs ?? '5', 'runs', 1, 50);
  const dir = mkdtempSync(join(tmpdir(), 'hookline-bench-log-'));
  chmodSync(dir, 0o755); // PostgreSQL may run as another account (never as root) and must reach its folder
  const pg = await startPostgres({
    dataDir: dir,
    log,
    // Settings for a fast fill on a throwaway cluster; the queries read only.
    settings: {
      shared_buffers: '1GB',
      maintenance_work_mem: '1GB',
      max_wal_size: '8GB',
      fsync: 'off',
      synchronous_commit: 'off',
      full_page_writes: 'off',
      autovacuum: 'off',
    },
  });
  let admin: AdminApi | undefined;
  let kafka: KafkaServer | undefined;
  try {
    const url = await pg.createDatabase('hookline_log_bench');
    await (await openDatabase({ url, poolSize: 1, logger: pino({ level: 'silent' }), applicationName: 'bench-log' })).destroy();
    const db = new Client({ connectionString: url });
    db.on('error', () => undefined);
    await db.connect();
    const now = new Date();
    const plan = planFor(attempts);
    await fillAndIndex(db, plan, now, log);
    const sizes = await sizesOf(db);
    const cases = await casesFor(db, now);
    const cursors = new Map<string, string | null>();
    for (const c of cases) cursors.set(c.name, await deepCursor(db, c, now));

    // admin-api needs a broker to start (it publishes endpoint changes), though no request here uses it.
    kafka = await startKafka({ dataDir: join(dir, 'kafka'), heapMb: 512, log });
    admin = await startAdminApi(url, kafka.brokers);
    const timings = new Map<string, { first: number[]; deep: number[]; count: number }>();
    for (const c of cases) timings.set(c.name, await timeCase(admin.port, c, cursors.get(c.name) ?? null, runs));
    await stop(admin);

    // Second pass: the same requests with auto_explain logging each statement's plan and time.
    await db.query(`ALTER DATABASE hookline_log_bench SET session_preload_libraries = 'auto_explain'`);
    for (const [k, v] of Object.entries({ log_min_duration: '0', log_format: 'json', log_analyze: 'on', log_timing: 'off', log_buffers: 'on' }))
      await db.query(`ALTER DATABASE hookline_log_bench SET auto_explain.${k} = '${v}'`);
    admin = await startAdminApi(url, kafka.brokers);
    const rows: string[] = [];
    for (const c of cases) {
      const t = timings.get(c.name)!;
      for (const [page, cursor] of [
        ['first', null],
        ['deep', cursors.get(c.name) ?? null],
      ] as const) {
        if (page === 'deep' && !cursor) continue;
        const offset = statSync(pg.logFile).size;
        await get(admin.port, c, cursor);
        await new Promise((r) => setTimeout(r, 150));
        const plans = plansIn(readFileSync(pg.logFile).subarray(offset).toString('utf8'));
        const list = plans.find((p) => p.query.includes('FROM "deliveries" "d"'));
        const attempts = plans.find((p) => p.query.includes('FROM "attempts"'));
        const http = median(page === 'first' ? t.first : t.deep);
        const scans = (p?: LoggedPlan) => (p ? [...new Set(p.scans)].join(', ') : '–');
        const ms = (p?: LoggedPlan) => (p ? p.ms.toFixed(2) : '–');
        rows.push(`| ${c.name} | ${page} | ${t.count} | ${http.toFixed(1)} | ${ms(list)} | ${scans(list)} | ${ms(attempts)} | ${scans(attempts)} |`);
      }
    }
    await stop(admin);
    admin = undefined;
    await db.end();

    const counts = sizes.counts;
    process.stdout.write(
      [
        `machine: ${cpus().length} × ${cpus()[0]?.model ?? '?'}, ${Math.round(totalmem() / 2 ** 30)} GiB; PostgreSQL started by the bench (shared_buffers 1GB)`,
        `command: npm run bench:log -- --attempts ${attempts} --runs ${runs}`,
        `rows: attempts ${counts.attempts}, deliveries ${counts.deliveries}, events ${counts.events}; fill ${sizes.fillSeconds.toFixed(0)} s`,
        '',
        '| relation | size |',
        '|---|---|',
        ...sizes.relations.map((r) => `| ${r.name} | ${r.size} |`),
        '',
        `Median of ${runs} requests after one warm-up, over HTTP (GET /v1/deliveries, limit 50, each delivery with its attempts); SQL ms and scans of the list statement and of the page's attempts from auto_explain (log_analyze, timing off) on one more request.`,
        '',
        '| filter | page | rows on page | HTTP ms (median) | list SQL ms | list scans | attempts SQL ms | attempts scans |',
        '|---|---|---|---|---|---|---|---|',
        ...rows,
        '',
      ].join('\n'),
    );
  } finally {
    if (admin) await stop(admin);
    await kafka?.stop();
    await pg.stop();
    if (!flags.keep) rmSync(dir, { recursive: true, force: true });
    else log(`kept ${dir}`);
  }
}

let fillSeconds = 0;

/** Drops the log's indexes, fills, builds them again from their saved definitions, then VACUUM ANALYZE. */
async function fillAndIndex(db: Client, plan: ReturnType<typeof planFor>, now: Date, say: (msg: string) => void): Promise<void> {
  const started = Date.now();
  const { rows: indexes } = await db.query<{ name: string; def: string }>(
    `SELECT indexname AS name, indexdef AS def FROM pg_indexes WHERE tablename IN ('events', 'deliveries', 'attempts') AND indexname NOT LIKE '%_pkey'`,
  );
  for (const i of indexes) await db.query(`DROP INDEX ${i.name}`);
  say(`filling ${plan.deliveries} deliveries of ${plan.events} events (${indexes.length} indexes dropped meanwhile)`);
  await fill(db, plan, new Date(now.getTime() - 30 * 86_400_000), say);
  await db.query(`SET maintenance_work_mem = '1GB'`);
  for (const i of indexes) {
    const t = Date.now();
    await db.query(i.def);
    say(`index ${i.name} built in ${((Date.now() - t) / 1000).toFixed(0)} s`);
  }
  await db.query('VACUUM ANALYZE events, deliveries, attempts');
  fillSeconds = (Date.now() - started) / 1000;
  say(`filled, indexed and vacuumed in ${fillSeconds.toFixed(0)} s`);
}

async function sizesOf(db: Client) {
  const count = async (table: string) => Number((await db.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`)).rows[0].n);
  const counts = { attempts: await count('attempts'), deliveries: await count('deliveries'), events: await count('events') };
  const { rows } = await db.query<{ name: string; size: string }>(
    `SELECT c.relname AS name, pg_size_pretty(pg_relation_size(c.oid)) AS size
     FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = 'public' AND (c.relname IN ('events', 'deliveries', 'attempts')
       OR c.oid IN (SELECT indexrelid FROM pg_index WHERE indrelid::regclass::text IN ('events', 'deliveries', 'attempts')))
     ORDER BY c.relkind DESC, c.relname`,
  );
  return { counts, relations: rows, fillSeconds };
}

interface AdminApi {
  child: ChildProcess;
  port: number;
}

async function startAdminApi(databaseUrl: string, brokers: string): Promise<AdminApi> {
  const port = await freePort();
  const child = spawn(process.execPath, ['apps/admin-api/dist/main.js'], {
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      ADMIN_API_PORT: String(port),
      KAFKA_BROKERS: brokers,
      HOOKLINE_ADMIN_TOKEN: TOKEN,
      HOOKLINE_MASTER_KEY: randomBytes(32).toString('base64'),
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  await waitFor(async () => (await fetch(`http://127.0.0.1:${port}/health/live`).catch(() => null))?.ok, { timeoutMs: 60_000, description: 'admin-api' });
  return { child, port };
}

async function stop({ child }: AdminApi): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

async function get(port: number, c: Case, cursor: string | null): Promise<number> {
  const params = new URLSearchParams({ ...c.query, limit: '50', ...(cursor ? { cursor } : {}) });
  const res = await fetch(`http://127.0.0.1:${port}/v1/deliveries?${params}`, { headers: { authorization: `Bearer ${TOKEN}` } });
  const body = (await res.json()) as { data?: unknown[] };
  if (res.status !== 200) throw new Error(`${c.name}: HTTP ${res.status} ${JSON.stringify(body)}`);
  return body.data?.length ?? 0;
}

async function timeCase(port: number, c: Case, cursor: string | null, runs: number) {
  const count = await get(port, c, null);
  if (cursor) await get(port, c, cursor);
  const first: number[] = [];
  const deep: number[] = [];
  for (let i = 0; i < runs; i++) {
    for (const [into, at] of [
      [first, null],
      [deep, cursor],
    ] as const) {
      if (into === deep && !at) continue;
      const t = performance.now();
      await get(port, c, at);
      into.push(performance.now() - t);
    }
  }
  log(`${c.name}: first page ${median(first).toFixed(1)} ms${cursor ? `, deep page ${median(deep).toFixed(1)} ms` : ''}`);
  return { first, deep, count };
}

const median = (xs: number[]) => (xs.length ? [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] : NaN);

main().catch((error: Error) => {
  process.stderr.write(error instanceof UsageError ? `${error.message}\n` : `${error.stack}\n`);
  process.exitCode = 1;
});
