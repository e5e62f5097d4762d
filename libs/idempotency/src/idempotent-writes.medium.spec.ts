import { randomBytes } from 'node:crypto';
import { MasterKeyring } from '@hookline/encryption';
import { handler, newKey, useWidgetsApp, waitFor, widgetRequest } from './widgets-app.fixtures';

// What the interceptor answers, and what the store keeps, over real PostgreSQL.
// Leases and expiry are in idempotency-leases.medium.spec.ts.
const app = useWidgetsApp();
const { send, widgetsNamed, storeWith } = app;

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
    expect(otherBody.body).toMatchObject({ error: 'idempotency_key_reused', issues: [{ field: 'Idempotency-Key', rule: expect.any(String) }] });
    expect((otherBody.body as { message: string }).message).toMatch(/^Idempotency-Key: .*different request .*first used for POST \/widgets\)/);

    const otherPath = await send('DELETE', '/widgets/00000000-0000-0000-0000-000000000000', { key });
    expect(otherPath.status).toBe(422);
    expect(handler.calls).toBe(1);
    expect(await widgetsNamed('something else')).toBe(0);
  });

  it('answers 409 with Retry-After while the first request with the key is still running', async () => {
    const key = newKey();
    const { reply: first, release: open } = await app.startHeld(key, { name: 'slow' });

    const meanwhile = await send('POST', '/widgets', { key, body: { name: 'slow' } });
    expect(meanwhile.status).toBe(409);
    expect(meanwhile.headers.get('retry-after')).toBe('1');
    expect(meanwhile.body).toMatchObject({ error: 'idempotency_key_in_flight', issues: [{ field: 'Idempotency-Key', rule: expect.any(String) }] });

    open();
    expect((await first).status).toBe(201);
    const after = await send('POST', '/widgets', { key, body: { name: 'slow' } });
    expect(after.status).toBe(201);
    expect(after.headers.get('idempotent-replayed')).toBe('true');
    expect(handler.calls).toBe(1);
  });

  it('creates exactly one resource from 50 concurrent requests with one key', async () => {
    const key = newKey();
    // Holds the first request until the other 49 have had their answer.
    const open = handler.hold();
    let answered = 0;
    const replies = Promise.all(Array.from({ length: 50 }, () => send('POST', '/widgets', { key, body: { name: 'fifty' } }).finally(() => answered++)));
    await waitFor(() => handler.calls === 1 && answered === 49, 'the other 49 answered while the first runs');
    open();
    const all = await replies;

    expect(await widgetsNamed('fifty')).toBe(1);
    expect(handler.calls).toBe(1);
    // The app's clock stands still, so the first request's lease cannot lapse however long the machine stalls.
    expect(all.filter((r) => r.status === 201 && r.headers.get('idempotent-replayed') === null)).toHaveLength(1);
    expect(all.filter((r) => r.status === 409)).toHaveLength(49);

    const { rows } = await app.pool.query('SELECT state, response_status FROM idempotency_keys WHERE key = $1', [key]);
    expect(rows).toEqual([{ state: 'completed', response_status: 201 }]);
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
    expect(reply.body).toMatchObject({ error: 'invalid_idempotency_key', issues: [{ field: 'Idempotency-Key', rule: expect.any(String) }] });
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
    const { rows } = await app.pool.query<{ scope: string }>('SELECT scope FROM idempotency_keys WHERE key = $1', [key]);
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
  it('keeps no plaintext body in the table when given a cipher', async () => {
    const store = storeWith({ cipher: new MasterKeyring(randomBytes(32)) });
    const request = widgetRequest(newKey(), { name: 'secret' }, 'scope-cipher');
    const begun = await store.begin(request);
    if (begun.kind !== 'acquired') throw new Error(`expected acquired, got ${begun.kind}`);
    await begun.lease.complete({ status: 201, body: { secret: 'whsec_do-not-store-me' }, headers: {} });

    const { rows } = await app.pool.query<{ response_body: string }>('SELECT response_body FROM idempotency_keys WHERE key = $1', [request.key]);
    expect(rows[0].response_body).not.toContain('whsec_');
    expect(await store.begin(request)).toMatchObject({ kind: 'replay', response: { body: { secret: 'whsec_do-not-store-me' } } });
  });
});
