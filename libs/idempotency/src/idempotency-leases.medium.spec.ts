import { APP_HEARTBEAT_MS, handler, LEASE_MS, ManualClock, newKey, useWidgetsApp, waitFor, widgetRequest } from './widgets-app.fixtures';

// Leases and expiry over real PostgreSQL, on clocks the tests move: a lease or a
// key runs out exactly when a test says, never because the machine was slow.
// What the interceptor answers otherwise is in idempotent-writes.medium.spec.ts.
const app = useWidgetsApp();
const { send, widgetsNamed, storeWith } = app;
const DAY_MS = 24 * 60 * 60 * 1000;

/** When the key's lease runs out, as stored. */
async function lockedUntil(key: string): Promise<number> {
  const { rows } = await app.pool.query<{ locked_until: Date }>('SELECT locked_until FROM idempotency_keys WHERE key = $1', [key]);
  return rows[0].locked_until.getTime();
}

describe('IdempotencyInterceptor leases', () => {
  it('keeps the lease of a slow but live request beating, so a retry after the lease time still gets 409', async () => {
    const key = newKey();
    const { reply: first, release: open } = await app.startHeld(key, { name: 'slower than the lease' });

    // One and a half leases pass, in steps shorter than a lease. The heartbeat
    // is a real timer: after each step, wait until it has renewed the lease
    // from the new time.
    for (let passed = 0; passed < LEASE_MS * 1.5; passed += LEASE_MS / 2) {
      app.clock.advance(LEASE_MS / 2);
      const renewedUntil = app.clock.now().getTime() + LEASE_MS;
      await waitFor(async () => (await lockedUntil(key)) >= renewedUntil, `a heartbeat (every ${APP_HEARTBEAT_MS} ms) after the clock moved`);
    }

    expect((await send('POST', '/widgets', { key, body: { name: 'slower than the lease' } })).status).toBe(409);
    open();
    expect((await first).status).toBe(201);
    expect(handler.calls).toBe(1);
    expect(await widgetsNamed('slower than the lease')).toBe(1);
  });

  it('takes over a request whose process died mid-flight once its lease ran out, and runs it exactly once', async () => {
    const key = newKey();
    const body = { name: 'survived a crash' };
    // Another instance claimed the key, started the handler, and was killed:
    // its heartbeat stops and nothing ever completes or releases the record.
    const dead = await storeWith({ clock: app.clock }).begin(widgetRequest(key, body));
    if (dead.kind !== 'acquired') throw new Error(`expected acquired, got ${dead.kind}`);
    dead.lease.stopHeartbeat();

    app.clock.advance(LEASE_MS - 1);
    expect((await send('POST', '/widgets', { key, body })).status).toBe(409);

    app.clock.advance(1);
    const retries = await Promise.all(Array.from({ length: 10 }, () => send('POST', '/widgets', { key, body })));
    expect(retries.filter((r) => r.status === 201 && r.headers.get('idempotent-replayed') === null)).toHaveLength(1);
    expect(retries.every((r) => r.status === 201 || r.status === 409)).toBe(true);
    const later = await send('POST', '/widgets', { key, body });
    expect(later.headers.get('idempotent-replayed')).toBe('true');
    expect(handler.calls).toBe(1);
    expect(await widgetsNamed('survived a crash')).toBe(1);
  });
});

describe('IdempotencyStore leases and expiry (pg Pool)', () => {
  it('lets exactly one of many retries take over an abandoned record, and fences the dead owner out', async () => {
    const clock = new ManualClock();
    const request = widgetRequest(newKey(), { name: 'fenced' }, 'scope-fencing');
    const store = storeWith({ clock });
    const dead = await store.begin(request);
    if (dead.kind !== 'acquired') throw new Error(`expected acquired, got ${dead.kind}`);
    expect(dead.tookOver).toBe(false);
    dead.lease.stopHeartbeat();

    clock.advance(LEASE_MS - 1);
    expect(await storeWith({ clock }).begin(request)).toMatchObject({ kind: 'in_flight' });
    clock.advance(1);
    const outcomes = await Promise.all(Array.from({ length: 10 }, () => storeWith({ clock }).begin(request)));
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
    const clock = new ManualClock();
    const key = newKey();
    const dead = await storeWith({ clock }).begin(widgetRequest(key, { name: 'a' }, 'scope-mismatch'));
    if (dead.kind !== 'acquired') throw new Error(`expected acquired, got ${dead.kind}`);
    dead.lease.stopHeartbeat();
    clock.advance(LEASE_MS);
    expect(await storeWith({ clock }).begin(widgetRequest(key, { name: 'b' }, 'scope-mismatch'))).toEqual({
      kind: 'mismatch',
      original: { method: 'POST', path: '/widgets' },
    });
  });

  it('remembers a key for 24 h from its first use, then treats it as new; purgeExpired deletes only what is past that', async () => {
    const clock = new ManualClock();
    const store = storeWith({ clock });
    const scope = 'scope-ttl';
    const [reused, forgotten, kept] = [newKey(), newKey(), newKey()];
    const completeNew = async (key: string, body: unknown) => {
      const begun = await store.begin(widgetRequest(key, body, scope));
      if (begun.kind !== 'acquired') throw new Error(`expected acquired, got ${begun.kind}`);
      expect(begun.tookOver).toBe(false);
      await begun.lease.complete({ status: 201, body: { key }, headers: {} });
    };
    const keysInScope = async () =>
      (await app.pool.query<{ key: string }>('SELECT key FROM idempotency_keys WHERE scope = $1', [scope])).rows.map((r) => r.key);
    await completeNew(reused, {});
    await completeNew(forgotten, {});

    clock.advance(DAY_MS - 1);
    expect((await store.begin(widgetRequest(reused, {}, scope))).kind).toBe('replay');
    expect((await store.begin(widgetRequest(reused, { other: true }, scope))).kind).toBe('mismatch');
    await store.purgeExpired();
    expect((await keysInScope()).sort()).toEqual([reused, forgotten].sort());

    // Past the TTL the key is new again, even for a different request.
    clock.advance(1);
    const again = await store.begin(widgetRequest(reused, { other: true }, scope));
    expect(again).toMatchObject({ kind: 'acquired', tookOver: false });
    if (again.kind === 'acquired') await again.lease.release();
    expect(await keysInScope()).toEqual([forgotten]);

    await completeNew(kept, {});
    await store.purgeExpired();
    expect(await keysInScope()).toEqual([kept]);
  });
});
