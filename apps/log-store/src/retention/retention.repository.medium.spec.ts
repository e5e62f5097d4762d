import { freshDatabase } from '@hookline/testing';
import pino from 'pino';
import { ApplyRetention, type RetentionStore } from './apply-retention.usecase';
import { RetentionRepository } from './retention.repository';

/**
 * Retention per tenant on a real PostgreSQL: three tenants with their own
 * periods (90 days, 2 days, and the 30-day default), rows of every age, and
 * one tenant with enough old rows to need many batches. What must go is every
 * row past its tenant's period, with a delivery's attempts; what must stay is
 * everything else, to the row.
 */
describe(RetentionRepository.name, () => {
  const database = freshDatabase();
  const AGES = [1, 5, 45, 100];
  let n = 0;
  const uuid = () => `0d2f4c7e-3333-4222-8333-${String(++n).padStart(12, '0')}`;

  /** A delivery `ageDays` old with `attempts` attempts, and its event. */
  async function logged(tenantId: string, ageDays: number, attempts = 2): Promise<string> {
    const id = uuid();
    const at = `now() - make_interval(days => $3)`;
    await database.db.query(`INSERT INTO events (tenant_id, id, type, data, occurred_at, received_at) VALUES ($1, $2, 'invoice.paid', '{}', ${at}, ${at})`, [
      tenantId,
      `evt_${id}`,
      ageDays,
    ]);
    await database.db.query(
      `INSERT INTO deliveries (id, tenant_id, event_id, endpoint_id, event_type, status, created_at)
       VALUES ($4, $1, $2, '5b7c7a0e-8a3c-4d0e-9a53-1f6f2a4e9c11', 'invoice.paid', 'succeeded', ${at})`,
      [tenantId, `evt_${id}`, ageDays, id],
    );
    for (let k = 1; k <= attempts; k++) {
      // The last attempt may come days after the delivery was created: it still goes with its delivery.
      await database.db.query(
        `INSERT INTO attempts (id, delivery_id, tenant_id, endpoint_id, attempt_number, url, succeeded, request_headers, duration_ms, started_at)
         VALUES ($1, $2, $3, '5b7c7a0e-8a3c-4d0e-9a53-1f6f2a4e9c11', $4, 'https://x.example.com', true, '{}', 5, now() - make_interval(days => $5))`,
        [uuid(), id, tenantId, k, Math.max(0, ageDays - k)],
      );
    }
    return id;
  }

  const left = async (tenantId: string) => {
    const rows = (await database.db.query(
      `SELECT (SELECT count(*) FROM deliveries WHERE tenant_id = $1)::int AS deliveries,
              (SELECT count(*) FROM attempts WHERE tenant_id = $1)::int AS attempts,
              (SELECT count(*) FROM events WHERE tenant_id = $1)::int AS events,
              (SELECT count(*) FROM attempts a WHERE tenant_id = $1 AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.id = a.delivery_id))::int AS orphans`,
      [tenantId],
    )) as { deliveries: number; attempts: number; events: number; orphans: number }[];
    return rows[0];
  };

  /** The real store, each purge's result noted as it returns. */
  class Observed implements RetentionStore {
    readonly purges: string[] = [];
    private readonly store = new RetentionRepository(database.db);
    tenantsInLog = () => this.store.tenantsInLog();
    exclusively = <T>(work: () => Promise<T>) => this.store.exclusively(work);
    retentionOverrides = () => this.store.retentionOverrides();
    async purgeDeliveries(tenantId: string, days: number, limit: number) {
      const purged = await this.store.purgeDeliveries(tenantId, days, limit);
      this.purges.push(`${tenantId} deliveries ${purged.deliveries}`);
      return purged;
    }
    async purgeEvents(tenantId: string, days: number, limit: number) {
      const purged = await this.store.purgeEvents(tenantId, days, limit);
      this.purges.push(`${tenantId} events ${purged}`);
      return purged;
    }
  }

  const recent: Record<string, string[]> = {};
  let bigRecent: string;
  beforeAll(async () => {
    await database.db.query(`INSERT INTO tenant_settings (tenant_id, log_retention_days) VALUES ('long', 90), ('short', 2), ('reset', NULL)`);
    for (const tenant of ['long', 'short', 'default', 'reset']) {
      recent[tenant] = [];
      for (const age of AGES) recent[tenant].push(await logged(tenant, age));
    }
    // 23 deliveries and events past the default period: five batches of 5.
    for (let i = 0; i < 23; i++) await logged('big', 31 + i, 1);
    bigRecent = await logged('big', 3, 1);
    // Events alone (their deliveries already gone): the tenant is still found.
    await database.db.query(
      `INSERT INTO events (tenant_id, id, type, data, occurred_at, received_at) VALUES ('events-only', 'evt_x', 't.x', '{}', now() - interval '40 days', now() - interval '40 days')`,
    );
  }, 60_000);

  it('finds every tenant with rows in the log, and the periods set for some', async () => {
    const store = new RetentionRepository(database.db);
    expect(await store.tenantsInLog()).toEqual(['big', 'default', 'events-only', 'long', 'reset', 'short']);
    expect(await store.retentionOverrides()).toEqual(
      new Map([
        ['long', 90],
        ['short', 2],
      ]),
    );
  });

  it('leaves the run to the instance that holds it: nothing is deleted meanwhile (the next test runs it once released)', async () => {
    const other = database.db.createQueryRunner();
    await other.connect();
    const retention = new ApplyRetention(
      new RetentionRepository(database.db),
      { defaultDays: 30, batchSize: 5, pauseMs: 0 },
      async () => undefined,
      pino({ level: 'silent' }),
    );
    try {
      const held = (await other.query(`SELECT pg_try_advisory_lock(7305012) AS locked`)) as { locked: boolean }[];
      expect(held).toEqual([{ locked: true }]);
      const before = await left('big');
      expect(await retention.execute()).toEqual({ deliveries: 0, attempts: 0, events: 0, batches: 0 });
      expect(await left('big')).toEqual(before);
      expect(before.deliveries).toBe(24);
    } finally {
      await other.query(`SELECT pg_advisory_unlock(7305012)`);
      await other.release();
    }
  });

  it("deletes each tenant's rows past its own period (or the default), a delivery with all its attempts, in bounded batches, and nothing else", async () => {
    const store = new Observed();
    const pauses: number[] = [];
    const result = await new ApplyRetention(
      store,
      { defaultDays: 30, batchSize: 5, pauseMs: 7 },
      async (ms) => void pauses.push(ms),
      pino({ level: 'silent' }),
    ).execute();

    // long (90 days) keeps 1, 5, 45; short (2) keeps 1; default and reset (30) keep 1 and 5; big keeps its 3-day-old one.
    expect(await left('long')).toEqual({ deliveries: 3, attempts: 6, events: 3, orphans: 0 });
    expect(await left('short')).toEqual({ deliveries: 1, attempts: 2, events: 1, orphans: 0 });
    expect(await left('default')).toEqual({ deliveries: 2, attempts: 4, events: 2, orphans: 0 });
    expect(await left('reset')).toEqual({ deliveries: 2, attempts: 4, events: 2, orphans: 0 });
    expect(await left('big')).toEqual({ deliveries: 1, attempts: 1, events: 1, orphans: 0 });
    expect(await left('events-only')).toEqual({ deliveries: 0, attempts: 0, events: 0, orphans: 0 });
    const kept = (await database.db.query(`SELECT id FROM deliveries ORDER BY id`)) as { id: string }[];
    expect(kept.map((r) => r.id)).toEqual(
      [...recent.long.slice(0, 3), recent.short[0], ...recent.default.slice(0, 2), ...recent.reset.slice(0, 2), bigRecent].sort(),
    );

    expect(store.purges.filter((p) => p.startsWith('big deliveries'))).toEqual([
      'big deliveries 5',
      'big deliveries 5',
      'big deliveries 5',
      'big deliveries 5',
      'big deliveries 3',
    ]);
    expect(store.purges.filter((p) => p.startsWith('big events'))).toEqual(['big events 5', 'big events 5', 'big events 5', 'big events 5', 'big events 3']);
    expect(pauses).toEqual(Array(8).fill(7));
    // long: 100; short: 5, 45, 100; default and reset: 45, 100 each; big: 23.
    expect(result).toMatchObject({ deliveries: 1 + 3 + 2 + 2 + 23, attempts: 2 * (1 + 3 + 2 + 2) + 23, events: 1 + 3 + 2 + 2 + 23 + 1 });

    // Nothing is left to do: a second run deletes nothing.
    expect(
      await new ApplyRetention(
        new RetentionRepository(database.db),
        { defaultDays: 30, batchSize: 5, pauseMs: 0 },
        async () => undefined,
        pino({ level: 'silent' }),
      ).execute(),
    ).toMatchObject({
      deliveries: 0,
      attempts: 0,
      events: 0,
    });
  });
});
