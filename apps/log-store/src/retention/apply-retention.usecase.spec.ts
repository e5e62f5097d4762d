import pino from 'pino';
import { ApplyRetention, type RetentionStore } from './apply-retention.usecase';

/** An in-memory log: each tenant's rows by age in days; a purge removes up to `limit` rows older than `days`. */
class FakeStore implements RetentionStore {
  readonly calls: string[] = [];
  constructor(
    readonly deliveries: Map<string, number[]>,
    readonly events: Map<string, number[]>,
    private readonly overrides = new Map<string, number>(),
    private readonly failure?: Error,
    private readonly busy = false,
  ) {}
  async exclusively<T>(work: () => Promise<T>) {
    return this.busy ? null : work();
  }
  async tenantsInLog() {
    return [...new Set([...this.deliveries.keys(), ...this.events.keys()])].sort();
  }
  async retentionOverrides() {
    if (this.failure) throw this.failure;
    return this.overrides;
  }
  async purgeDeliveries(tenantId: string, days: number, limit: number) {
    this.calls.push(`deliveries ${tenantId} ${days}`);
    const removed = take(this.deliveries, tenantId, days, limit);
    return { deliveries: removed, attempts: removed * 2 };
  }
  async purgeEvents(tenantId: string, days: number, limit: number) {
    this.calls.push(`events ${tenantId} ${days}`);
    return take(this.events, tenantId, days, limit);
  }
}

function take(rows: Map<string, number[]>, tenantId: string, days: number, limit: number): number {
  const ages = rows.get(tenantId) ?? [];
  const old = ages.filter((age) => age > days).slice(0, limit);
  for (const age of old) ages.splice(ages.indexOf(age), 1);
  return old.length;
}

const ages = (count: number, age: number) => Array.from({ length: count }, () => age);
const silent = pino({ level: 'silent' });

describe(ApplyRetention.name, () => {
  it("applies each tenant's own period, else the default, until nothing old is left, pausing between full batches", async () => {
    const store = new FakeStore(
      new Map([
        ['acme', [...ages(25, 40), ...ages(3, 10)]],
        ['globex', [...ages(4, 40), ...ages(5, 10)]],
      ]),
      new Map([
        ['acme', ages(2, 40)],
        ['globex', ages(12, 8)],
      ]),
      new Map([['globex', 7]]),
    );
    const pauses: number[] = [];
    const result = await new ApplyRetention(store, { defaultDays: 30, batchSize: 10, pauseMs: 5 }, async (ms) => void pauses.push(ms), silent).execute();

    expect(store.deliveries.get('acme')).toEqual(ages(3, 10));
    expect(store.deliveries.get('globex')).toEqual([]);
    expect(store.events.get('acme')).toEqual([]);
    expect(store.events.get('globex')).toEqual([]);
    expect(result).toEqual({ deliveries: 25 + 9, attempts: 68, events: 2 + 12, batches: 3 + 1 + 1 + 2 });
    // acme's 25 deliveries: 10, 10, 5; globex's 12 events: 10, 2. A pause follows each full batch only.
    expect(store.calls).toEqual([
      'deliveries acme 30',
      'deliveries acme 30',
      'deliveries acme 30',
      'events acme 30',
      'deliveries globex 7',
      'events globex 7',
      'events globex 7',
    ]);
    expect(pauses).toEqual([5, 5, 5]);
  });

  it('purges nothing while another instance holds the run', async () => {
    const store = new FakeStore(new Map([['acme', ages(3, 40)]]), new Map(), new Map(), undefined, true);
    const result = await new ApplyRetention(store, { defaultDays: 30, batchSize: 10, pauseMs: 0 }, async () => undefined, silent).execute();
    expect(result).toEqual({ deliveries: 0, attempts: 0, events: 0, batches: 0 });
    expect(store.calls).toEqual([]);
    expect(store.deliveries.get('acme')).toHaveLength(3);
  });

  it('lets a failure through, for the job to log and count', async () => {
    const store = new FakeStore(new Map(), new Map(), new Map(), new Error('database down'));
    await expect(new ApplyRetention(store, { defaultDays: 30, batchSize: 10, pauseMs: 0 }, async () => undefined, silent).execute()).rejects.toThrow(
      'database down',
    );
  });
});
