import 'reflect-metadata';
import { BadRequestException, Body, Controller, Delete, HttpCode, type INestApplication, Param, Post, Res, ServiceUnavailableException } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import type { Response } from 'express';
import { randomBytes, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Pool } from 'pg';
import { DataSource } from 'typeorm';
import { MasterKeyring } from '@hookline/encryption';
import { fingerprintRequest, IdempotencyModule, IdempotencyStore, type BeginRequest, type CallerScope, type IdempotencyStoreOptions } from './index';

// Short leases, so "after the lease" is seconds, not the 30 s default. The
// HTTP app's lease has to outlast its heartbeat's wait for a pooled connection
// and the event loop under 50 concurrent requests on a busy 2-core machine:
// with 600 ms, one run saw the winner's lease lapse there and a second request
// take over (a stall longer than the lease, the one case a lease cannot cover).
const APP_LEASE_MS = 2_000;
const APP_HEARTBEAT_MS = 250;
// The store-level tests run few queries at a time, so a shorter lease is safe there.
const LEASE_MS = 600;
const HEARTBEAT_MS = 150;
const TOKEN = 'test-token-0123456789';
/** The test apps have no auth guard: the caller is whoever sends the token. */
const tokenScope: CallerScope = (request) => (typeof request.headers.authorization === 'string' ? `token:${request.headers.authorization}` : undefined);

let dataSource: DataSource;
let pool: Pool;
let app: INestApplication;
let baseUrl: string;
let adminPool: Pool;
let databaseName: string;

/** What the test controller's handlers do; each test sets what it needs. */
const handler = {
  calls: 0,
  gate: undefined as Promise<void> | undefined,
  failuresLeft: 0,
};

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

interface Reply {
  status: number;
  headers: Headers;
  body: unknown;
}

async function send(method: string, path: string, options: { key?: string; body?: unknown; rawBody?: string; token?: string } = {}): Promise<Reply> {
  const headers: Record<string, string> = { authorization: `Bearer ${options.token ?? TOKEN}`, 'content-type': 'application/json' };
  if (options.key !== undefined) headers['idempotency-key'] = options.key;
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers,
    body: options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
}

async function widgetsNamed(name: string): Promise<number> {
  const { rows } = await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM widgets WHERE name = $1', [name]);
  return rows[0].n;
}

const newKey = () => randomUUID();
const storeWith = (options: IdempotencyStoreOptions = {}) => new IdempotencyStore(pool, { leaseMs: LEASE_MS, heartbeatMs: HEARTBEAT_MS, ...options });

/** The begin() request the interceptor makes for `POST /widgets` with this body. */
function widgetRequest(key: string, body: unknown, scope = `token:Bearer ${TOKEN}`): BeginRequest {
  return { scope, key, fingerprint: fingerprintRequest({ method: 'POST', url: '/widgets', body }) };
}

beforeAll(async () => {
  const serverUrl = process.env.HOOKLINE_TEST_DATABASE_URL;
  if (!serverUrl) throw new Error('HOOKLINE_TEST_DATABASE_URL is not set: run through jest with the full config (test/harness/global-setup.ts)');
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
        useFactory: () => ({ db: dataSource, scope: tokenScope, leaseMs: APP_LEASE_MS, heartbeatMs: APP_HEARTBEAT_MS, purgeEveryMs: 0 }),
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

describe('IdempotencyInterceptor over PostgreSQL', () => {
  it('replays the stored status, body and Location with Idempotent-Replayed: true, without running the handler again', async () => {
    const key = newKey();
    const first = await send('POST', '/widgets', { key, body: { name: 'replayed' } });
    expect(first.status).toBe(201);
    expect(first.headers.get('idempotent-replayed')).toBeNull();

    // The same document with other key order and whitespace is the same request.
    const again = await send('POST', '/widgets', { key, rawBody: ' {\n "name" : "replayed" } ' });
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(again.headers.get('location')).toBe(first.headers.get('location'));
    expect(again.headers.get('content-type')).toMatch(/^application\/json/);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(handler.calls).toBe(1);
    expect(await widgetsNamed('replayed')).toBe(1);
  });

  it('replays a 204 DELETE with no body', async () => {
    const key = newKey();
    const created = await send('POST', '/widgets', { body: { name: 'to-delete' } });
    const id = (created.body as { id: string }).id;
    const first = await send('DELETE', `/widgets/${id}`, { key });
    const again = await send('DELETE', `/widgets/${id}`, { key });
    expect([first.status, again.status]).toEqual([204, 204]);
    expect(again.body).toBeUndefined();
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(handler.calls).toBe(2); // the create without a key, then one delete
  });

  it('answers 422 naming Idempotency-Key when the key is reused for a different body or path', async () => {
    const key = newKey();
    await send('POST', '/widgets', { key, body: { name: 'original' } });
    const otherBody = await send('POST', '/widgets', { key, body: { name: 'something else' } });
    expect(otherBody.status).toBe(422);
    expect(otherBody.body).toMatchObject({ error: 'idempotency_key_reused', header: 'Idempotency-Key' });
    expect((otherBody.body as { message: string }).message).toMatch(/^Idempotency-Key: .*different request .*first used for POST \/widgets\)/);

    const otherPath = await send('DELETE', '/widgets/00000000-0000-0000-0000-000000000000', { key });
    expect(otherPath.status).toBe(422);
    expect(handler.calls).toBe(1);
    expect(await widgetsNamed('something else')).toBe(0);
  });

  it('answers 409 with Retry-After while the first request with the key is still running', async () => {
    const key = newKey();
    let open!: () => void;
    handler.gate = new Promise((resolve) => (open = resolve));
    const first = send('POST', '/widgets', { key, body: { name: 'slow' } });
    await waitFor(() => handler.calls === 1);

    const meanwhile = await send('POST', '/widgets', { key, body: { name: 'slow' } });
    expect(meanwhile.status).toBe(409);
    expect(meanwhile.headers.get('retry-after')).toBe('1');
    expect(meanwhile.body).toMatchObject({ error: 'idempotency_key_in_flight', header: 'Idempotency-Key' });

    open();
    expect((await first).status).toBe(201);
    const after = await send('POST', '/widgets', { key, body: { name: 'slow' } });
    expect(after.status).toBe(201);
    expect(after.headers.get('idempotent-replayed')).toBe('true');
    expect(handler.calls).toBe(1);
  });

  it('keeps the lease of a slow but live request beating, so a retry after the lease time still gets 409', async () => {
    const key = newKey();
    let open!: () => void;
    handler.gate = new Promise((resolve) => (open = resolve));
    const first = send('POST', '/widgets', { key, body: { name: 'slower than the lease' } });
    await waitFor(() => handler.calls === 1);
    await sleep(APP_LEASE_MS * 1.5);

    expect((await send('POST', '/widgets', { key, body: { name: 'slower than the lease' } })).status).toBe(409);
    open();
    expect((await first).status).toBe(201);
    expect(handler.calls).toBe(1);
    expect(await widgetsNamed('slower than the lease')).toBe(1);
  });

  it('creates exactly one resource from 50 concurrent requests with one key', async () => {
    const key = newKey();
    // Holds the winner long enough that the other 49 arrive while it runs.
    let open!: () => void;
    handler.gate = new Promise((resolve) => (open = resolve));
    const replies = Promise.all(Array.from({ length: 50 }, () => send('POST', '/widgets', { key, body: { name: 'fifty' } })));
    await waitFor(() => handler.calls >= 1);
    await sleep(100);
    open();
    const all = await replies;

    expect(await widgetsNamed('fifty')).toBe(1);
    expect(handler.calls).toBe(1);
    const original = all.filter((r) => r.status === 201 && r.headers.get('idempotent-replayed') === null);
    const replayed = all.filter((r) => r.status === 201 && r.headers.get('idempotent-replayed') === 'true');
    const inFlight = all.filter((r) => r.status === 409);
    expect(original).toHaveLength(1);
    expect(replayed.length + inFlight.length).toBe(49);
    for (const r of replayed) expect(r.body).toEqual(original[0].body);

    const { rows } = await pool.query('SELECT state, response_status FROM idempotency_keys WHERE key = $1', [key]);
    expect(rows).toEqual([{ state: 'completed', response_status: 201 }]);
  });

  it('takes over a request whose process died mid-flight once its lease ran out, and runs it exactly once', async () => {
    const key = newKey();
    const body = { name: 'survived a crash' };
    // Another instance claimed the key, started the handler, and was killed:
    // its heartbeat stops and nothing ever completes or releases the record.
    const dead = await storeWith({ leaseMs: APP_LEASE_MS, heartbeatMs: APP_HEARTBEAT_MS }).begin(widgetRequest(key, body));
    expect(dead.kind).toBe('acquired');
    if (dead.kind === 'acquired') dead.lease.stopHeartbeat();

    const tooEarly = await send('POST', '/widgets', { key, body });
    expect(tooEarly.status).toBe(409);

    await sleep(APP_LEASE_MS + 200);
    const retries = await Promise.all(Array.from({ length: 10 }, () => send('POST', '/widgets', { key, body })));
    expect(retries.filter((r) => r.status === 201 && r.headers.get('idempotent-replayed') === null)).toHaveLength(1);
    expect(retries.every((r) => r.status === 201 || r.status === 409)).toBe(true);
    const later = await send('POST', '/widgets', { key, body });
    expect(later.headers.get('idempotent-replayed')).toBe('true');
    expect(handler.calls).toBe(1);
    expect(await widgetsNamed('survived a crash')).toBe(1);
  });

  it('does not store a 5xx: the key is released and a retry with it runs the handler again', async () => {
    const key = newKey();
    handler.failuresLeft = 1;
    expect((await send('POST', '/widgets', { key, body: { name: 'flaky' } })).status).toBe(503);
    const retry = await send('POST', '/widgets', { key, body: { name: 'flaky' } });
    expect(retry.status).toBe(201);
    expect(retry.headers.get('idempotent-replayed')).toBeNull();
    const replay = await send('POST', '/widgets', { key, body: { name: 'flaky' } });
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(handler.calls).toBe(2);
    expect(await widgetsNamed('flaky')).toBe(1);
  });

  it('stores a 4xx from the handler and replays it with its body', async () => {
    const key = newKey();
    const first = await send('POST', '/widgets', { key, body: { name: 42 } });
    const again = await send('POST', '/widgets', { key, body: { name: 42 } });
    expect([first.status, again.status]).toEqual([400, 400]);
    expect(again.body).toEqual(first.body);
    expect(again.body).toMatchObject({ error: 'validation_failed' });
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(handler.calls).toBe(1);
  });

  it.each([
    ['empty', '', /must not be empty/],
    ['256 characters long', 'k'.repeat(256), /at most 255 characters/],
  ])('refuses an Idempotency-Key that is %s with 400 naming the header, before the handler runs', async (_what, key, reason) => {
    const reply = await send('POST', '/widgets', { key, body: { name: 'bad key' } });
    expect(reply.status).toBe(400);
    expect(reply.body).toMatchObject({ error: 'invalid_idempotency_key', header: 'Idempotency-Key' });
    expect((reply.body as { message: string }).message).toMatch(reason);
    expect(handler.calls).toBe(0);
  });

  it('scopes keys to the API key: the same key from another caller is a separate request', async () => {
    const key = newKey();
    const mine = await send('POST', '/widgets', { key, body: { name: 'scoped' } });
    const theirs = await send('POST', '/widgets', { key, body: { name: 'scoped' }, token: 'another-token-987654' });
    expect([mine.status, theirs.status]).toEqual([201, 201]);
    expect(theirs.headers.get('idempotent-replayed')).toBeNull();
    expect(await widgetsNamed('scoped')).toBe(2);
    const { rows } = await pool.query<{ scope: string }>('SELECT scope FROM idempotency_keys WHERE key = $1', [key]);
    expect(rows).toHaveLength(2);
    expect(new Set(rows.map((r) => r.scope)).size).toBe(2);
  });

  it('runs requests without the header every time', async () => {
    await send('POST', '/widgets', { body: { name: 'no key' } });
    await send('POST', '/widgets', { body: { name: 'no key' } });
    expect(await widgetsNamed('no key')).toBe(2);
  });
});

describe('IdempotencyStore over PostgreSQL (pg Pool)', () => {
  it('lets exactly one of many retries take over an abandoned record, and fences the dead owner out', async () => {
    const key = newKey();
    const request = widgetRequest(key, { name: 'fenced' }, 'scope-fencing');
    const store = storeWith();
    const dead = await store.begin(request);
    if (dead.kind !== 'acquired') throw new Error(`expected acquired, got ${dead.kind}`);
    expect(dead.tookOver).toBe(false);
    dead.lease.stopHeartbeat();

    await sleep(LEASE_MS + 200);
    const outcomes = await Promise.all(Array.from({ length: 10 }, () => storeWith().begin(request)));
    const winners = outcomes.filter((o) => o.kind === 'acquired');
    expect(winners).toHaveLength(1);
    expect(winners[0]).toMatchObject({ tookOver: true });
    expect(outcomes.filter((o) => o.kind === 'in_flight')).toHaveLength(9);

    // The old owner wakes up: its result must not replace the new owner's.
    expect(await dead.lease.complete({ status: 201, body: { from: 'dead' }, headers: {} })).toBe(false);
    const winner = winners[0];
    if (winner.kind !== 'acquired') throw new Error('unreachable');
    expect(await winner.lease.complete({ status: 201, body: { from: 'winner' }, headers: { Location: '/x' } })).toBe(true);
    expect(await store.begin(request)).toEqual({ kind: 'replay', response: { status: 201, body: { from: 'winner' }, headers: { location: '/x' } } });
  });

  it('does not take over an abandoned record for a different request: that is still a mismatch', async () => {
    const key = newKey();
    const dead = await storeWith().begin(widgetRequest(key, { name: 'a' }, 'scope-mismatch'));
    if (dead.kind === 'acquired') dead.lease.stopHeartbeat();
    await sleep(LEASE_MS + 200);
    expect(await storeWith().begin(widgetRequest(key, { name: 'b' }, 'scope-mismatch'))).toEqual({
      kind: 'mismatch',
      original: { method: 'POST', path: '/widgets' },
    });
  });

  it('ignores keys older than the TTL, and purgeExpired deletes them', async () => {
    const store = storeWith({ leaseMs: 200, heartbeatMs: 50, ttlMs: 800 });
    const [renewed, forgotten] = [newKey(), newKey()];
    for (const key of [renewed, forgotten]) {
      const begun = await store.begin(widgetRequest(key, {}, 'scope-ttl'));
      if (begun.kind !== 'acquired') throw new Error(`expected acquired, got ${begun.kind}`);
      await begun.lease.complete({ status: 201, body: { key }, headers: {} });
    }
    expect((await store.begin(widgetRequest(renewed, {}, 'scope-ttl'))).kind).toBe('replay');
    await sleep(1_000);

    // Past the TTL the key is new again, even for a different request.
    const again = await store.begin(widgetRequest(renewed, { other: true }, 'scope-ttl'));
    expect(again).toMatchObject({ kind: 'acquired', tookOver: false });
    if (again.kind === 'acquired') await again.lease.release();
    const { rows: before } = await pool.query('SELECT key FROM idempotency_keys WHERE scope = $1', ['scope-ttl']);
    expect(before.map((r) => r.key)).toEqual([forgotten]);
    expect(await store.purgeExpired()).toBeGreaterThanOrEqual(1);
    const { rows: after } = await pool.query('SELECT key FROM idempotency_keys WHERE scope = $1', ['scope-ttl']);
    expect(after).toEqual([]);
  });

  it('keeps no plaintext body in the table when given a cipher', async () => {
    const store = storeWith({ cipher: new MasterKeyring(randomBytes(32)) });
    const request = widgetRequest(newKey(), { name: 'secret' }, 'scope-cipher');
    const begun = await store.begin(request);
    if (begun.kind !== 'acquired') throw new Error(`expected acquired, got ${begun.kind}`);
    await begun.lease.complete({ status: 201, body: { secret: 'whsec_do-not-store-me' }, headers: {} });

    const { rows } = await pool.query<{ response_body: string }>('SELECT response_body FROM idempotency_keys WHERE key = $1', [request.key]);
    expect(rows[0].response_body).not.toContain('whsec_');
    expect(await store.begin(request)).toMatchObject({ kind: 'replay', response: { body: { secret: 'whsec_do-not-store-me' } } });
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(10);
  }
}
