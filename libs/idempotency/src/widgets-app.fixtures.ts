import 'reflect-metadata';
import { BadRequestException, Body, Controller, Delete, HttpCode, type INestApplication, Param, Post, Res, ServiceUnavailableException } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import type { Response } from 'express';
import { randomBytes, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Pool } from 'pg';
import { DataSource } from 'typeorm';
import type { Clock } from './clock';
import { fingerprintRequest } from './fingerprint';
import { IdempotencyModule } from './idempotency.module';
import { IdempotencyStore, type BeginRequest, type IdempotencyStoreOptions } from './idempotency.store';
import type { CallerScope } from './caller-scope';

// What the integration specs share: a database with the real migrations, and a
// small Nest app whose `POST /widgets` writes a row, behind the interceptor.
// Not exported from the package, nor built; it only serves the `*.medium.spec.ts` files.

/** A clock that moves only when told, so leases and keys expire exactly when a test says. */
export class ManualClock implements Clock {
  private ms = Date.now();

  now(): Date {
    return new Date(this.ms);
  }

  advance(ms: number): void {
    this.ms += ms;
  }
}

/** Every store's lease, the default: it only runs out when a test moves a clock. */
export const LEASE_MS = 30_000;
/** The app's heartbeat, a real timer: fast, so a test waiting for a beat does not wait long. */
export const APP_HEARTBEAT_MS = 100;
const TOKEN = 'test-token-0123456789';
/** The test apps have no auth guard: the caller is whoever sends the token. */
const tokenScope: CallerScope = (request) => (typeof request.headers.authorization === 'string' ? `token:${request.headers.authorization}` : undefined);

/** What the test controller's handlers do; each test sets what it needs. */
export const handler = {
  calls: 0,
  gate: undefined as Promise<void> | undefined,
  failuresLeft: 0,
  /** Holds every request in its handler until the returned function is called. */
  hold(): () => void {
    let open!: () => void;
    this.gate = new Promise((resolve) => (open = resolve));
    return open;
  },
};

let dataSource: DataSource;

@Controller('widgets')
class WidgetController {
  @Post()
  async create(@Body() body: { name?: unknown }, @Res({ passthrough: true }) res: Response) {
    handler.calls++;
    if (typeof body?.name !== 'string') {
      throw new BadRequestException({ error: 'validation_failed', message: 'name: must be a string', issues: [{ field: 'name', rule: 'must be a string' }] });
    }
    if (handler.gate) await handler.gate;
    if (handler.failuresLeft > 0) {
      handler.failuresLeft--;
      throw new ServiceUnavailableException({ error: 'unavailable', message: 'try again' });
    }
    const [row] = await dataSource.query<Array<{ id: string }>>('INSERT INTO widgets (name) VALUES ($1) RETURNING id', [body.name]);
    res.setHeader('Location', `/widgets/${row.id}`);
    return { id: row.id, name: body.name };
  }

  @Delete(':id')
  @HttpCode(204)
  async remove(@Param('id') id: string) {
    handler.calls++;
    await dataSource.query('DELETE FROM widgets WHERE id = $1', [id]);
  }
}

export interface Reply {
  status: number;
  headers: Headers;
  body: unknown;
}

export interface WidgetsApp {
  /** A pg Pool on the test database (the app itself uses a TypeORM DataSource, as the services do). */
  readonly pool: Pool;
  /** The clock of the app's store. */
  readonly clock: ManualClock;
  send(method: string, path: string, options?: { key?: string; body?: unknown; rawBody?: string; token?: string }): Promise<Reply>;
  widgetsNamed(name: string): Promise<number>;
  /** Sends `POST /widgets` with `key` and resolves once its handler runs, held until `release()`. */
  startHeld(key: string, body: unknown): Promise<{ reply: Promise<Reply>; release: () => void }>;
  /** A store of its own on the test database, on a clock of its own unless given one. */
  storeWith(options?: IdempotencyStoreOptions): IdempotencyStore;
}

/**
 * Creates a database with the real migrations and starts the widgets app for
 * the calling spec file (beforeAll), resets `handler` before each test and
 * drops everything after.
 */
export function useWidgetsApp(): WidgetsApp {
  const clock = new ManualClock();
  let pool: Pool;
  let app: INestApplication;
  let baseUrl: string;
  let adminPool: Pool;
  let databaseName: string;

  beforeAll(async () => {
    const serverUrl = process.env.HOOKLINE_TEST_DATABASE_URL;
    if (!serverUrl) throw new Error('HOOKLINE_TEST_DATABASE_URL is not set: run through npm run test:medium (test/harness/medium-setup.ts starts PostgreSQL)');
    databaseName = `idempotency_${randomBytes(6).toString('hex')}`;
    adminPool = new Pool({ connectionString: serverUrl, max: 1 });
    await adminPool.query(`CREATE DATABASE ${databaseName}`);
    const url = new URL(serverUrl);
    url.pathname = `/${databaseName}`;

    // The real migrations from libs/database, loaded by path: the module-boundary
    // rule keeps one data-access lib from importing another, and a copy of the
    // DDL here could drift from what services actually create.
    dataSource = new DataSource({
      type: 'postgres',
      url: url.toString(),
      migrations: [join(__dirname, '..', '..', 'database', 'src', 'migrations', '*.ts')],
      // As the services run them: one transaction per migration, so one that builds an index CONCURRENTLY can run outside any.
      migrationsTransactionMode: 'each',
      extra: { max: 20 },
    });
    await dataSource.initialize();
    const applied = await dataSource.runMigrations();
    expect(applied.map((m) => m.name)).toContain('IdempotencyKeys1795338963281');
    await dataSource.query('CREATE TABLE widgets (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), name text NOT NULL)');
    pool = new Pool({ connectionString: url.toString(), max: 10 });
    // pool.end() resolves once its clients are told to close, not once they have;
    // the DROP DATABASE ... WITH (FORCE) in afterAll may still end one of them.
    pool.on('error', () => undefined);

    const moduleRef = await Test.createTestingModule({
      imports: [
        IdempotencyModule.forRootAsync({
          // A TypeORM DataSource, as service-kit's DATA_SOURCE provides it to the services.
          useFactory: () => ({ db: dataSource, scope: tokenScope, leaseMs: LEASE_MS, heartbeatMs: APP_HEARTBEAT_MS, clock, purgeEveryMs: 0 }),
          applyToAllRoutes: true,
        }),
      ],
      controllers: [WidgetController],
    }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    await app.listen(0, '127.0.0.1');
    baseUrl = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  });

  afterAll(async () => {
    await app?.close();
    await dataSource?.destroy();
    await pool?.end();
    if (adminPool) {
      await adminPool.query(`DROP DATABASE IF EXISTS ${databaseName} WITH (FORCE)`).catch(() => undefined);
      await adminPool.end();
    }
  });

  beforeEach(() => {
    handler.calls = 0;
    handler.gate = undefined;
    handler.failuresLeft = 0;
  });

  return {
    get pool() {
      return pool;
    },
    clock,
    async send(method, path, options = {}) {
      const headers: Record<string, string> = { authorization: `Bearer ${options.token ?? TOKEN}`, 'content-type': 'application/json' };
      if (options.key !== undefined) headers['idempotency-key'] = options.key;
      const response = await fetch(`${baseUrl}${path}`, {
        method,
        headers,
        body: options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
      });
      const text = await response.text();
      return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
    },
    async widgetsNamed(name) {
      const { rows } = await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM widgets WHERE name = $1', [name]);
      return rows[0].n;
    },
    async startHeld(key, body) {
      const release = handler.hold();
      const reply = this.send('POST', '/widgets', { key, body });
      await waitFor(() => handler.calls === 1, 'the handler to start');
      return { reply, release };
    },
    storeWith: (options = {}) => new IdempotencyStore(pool, { leaseMs: LEASE_MS, clock: new ManualClock(), ...options }),
  };
}

export const newKey = () => randomUUID();

/** The begin() request the interceptor makes for `POST /widgets` with this body. */
export function widgetRequest(key: string, body: unknown, scope = `token:Bearer ${TOKEN}`): BeginRequest {
  return { scope, key, fingerprint: fingerprintRequest({ method: 'POST', url: '/widgets', body }) };
}

/** Polls until `condition` holds; fails saying what it waited for. A deadline, never a measurement. */
export async function waitFor(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(10);
  }
}
