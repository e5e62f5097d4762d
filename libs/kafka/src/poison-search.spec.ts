import fc from 'fast-check';
import { HandBack, PermanentFailure, UNKNOWN_FAILURE_ATTEMPTS, type Failure } from './failure';
import type { ConsumedMessage } from './message';
import { handleIsolatingPoison, type PoisonSearchOptions } from './poison-search';

const message = (offset: number): ConsumedMessage => ({
  topic: 't',
  partition: 0,
  offset: String(offset),
  key: null,
  value: Buffer.from(`{"n":${offset}}`),
  headers: {},
});
const batch = (size: number) => Array.from({ length: size }, (_, i) => message(i));
const refused = () => Object.assign(new Error('date/time field value out of range'), { name: 'error', code: '22008' });
const databaseDown = () => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });

/**
 * A store that writes a whole batch or nothing, like one SQL statement:
 * it refuses a batch holding a record of `bad` with `failWith()`.
 */
function fakeStore(bad: Set<string>, failWith: () => unknown = refused) {
  const written: string[] = [];
  const parked: { offset: string; failure: Failure }[] = [];
  let calls = 0;
  const options: PoisonSearchOptions = {
    handle: async (messages) => {
      calls++;
      if (messages.some((m) => bad.has(m.offset))) throw failWith();
      written.push(...messages.map((m) => m.offset));
    },
    park: async (m, failure) => void parked.push({ offset: m.offset, failure }),
    keepTrying: () => true,
    onFailure: () => undefined,
    sleep: async () => undefined,
  };
  return { options, written, parked, calls: () => calls };
}

describe(handleIsolatingPoison.name, () => {
  it('gives a message handed back by its handler back at once: no retry, no search, no park, no failure reported', async () => {
    const store = fakeStore(new Set(['0', '1']), () => new HandBack('stopping'));
    const failures: Failure[] = [];
    store.options.onFailure = (failure) => void failures.push(failure);
    await expect(handleIsolatingPoison(batch(4), store.options)).rejects.toBeInstanceOf(HandBack);
    expect({ calls: store.calls(), parked: store.parked, written: store.written, failures }).toEqual({ calls: 1, parked: [], written: [], failures: [] });
  });

  it('writes every good record of a batch and parks the one the database refuses, once', async () => {
    const store = fakeStore(new Set(['37']));
    await handleIsolatingPoison(batch(100), store.options);
    expect(store.parked.map((p) => p.offset)).toEqual(['37']);
    expect(store.parked[0].failure).toMatchObject({ class: 'permanent', code: '22008' });
    expect([...store.written].sort((a, b) => Number(a) - Number(b))).toEqual(
      batch(100)
        .map((m) => m.offset)
        .filter((o) => o !== '37'),
    );
    // A search, not one try per record: about 2·log2(100) statements.
    expect(store.calls()).toBeLessThanOrEqual(20);
  });

  it('for any batch and any bad records: each good record written exactly once, each bad one parked exactly once', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc
          .integer({ min: 1, max: 64 })
          .chain((size) => fc.tuple(fc.constant(size), fc.uniqueArray(fc.integer({ min: 0, max: size - 1 }), { maxLength: size }))),
        async ([size, badOffsets]) => {
          const bad = new Set(badOffsets.map(String));
          const store = fakeStore(bad);
          await handleIsolatingPoison(batch(size), store.options);
          const good = batch(size)
            .map((m) => m.offset)
            .filter((o) => !bad.has(o));
          expect([...store.written].sort()).toEqual([...good].sort());
          expect(store.parked.map((p) => p.offset).sort()).toEqual([...bad].sort());
        },
      ),
    );
  });

  it('retries the whole batch on a transient failure and never parks for it', async () => {
    let down = 5;
    const attempts: number[] = [];
    const store = fakeStore(new Set());
    const handle = store.options.handle;
    await handleIsolatingPoison(batch(10), {
      ...store.options,
      handle: async (messages) => {
        if (down-- > 0) throw databaseDown();
        await handle(messages);
      },
      onFailure: (failure, _e, messages, attempt) => {
        expect(failure.class).toBe('transient');
        expect(messages).toHaveLength(10);
        attempts.push(attempt);
      },
    });
    expect(attempts).toEqual([1, 2, 3, 4, 5]);
    expect(store.parked).toEqual([]);
    expect(store.written).toHaveLength(10);
  });

  it('keeps retrying a transient failure met during a search, then parks only the bad record', async () => {
    const store = fakeStore(new Set(['3']));
    const handle = store.options.handle;
    let outages = 0;
    await handleIsolatingPoison(batch(8), {
      ...store.options,
      handle: async (messages) => {
        // The database goes away for three tries right when the search reaches the second half.
        if (messages[0].offset === '4' && outages++ < 3) throw databaseDown();
        await handle(messages);
      },
    });
    expect(store.parked.map((p) => p.offset)).toEqual(['3']);
    expect([...store.written].sort()).toEqual(['0', '1', '2', '4', '5', '6', '7']);
  });

  it('treats an unknown failure as transient for a few tries, then searches and parks the record that keeps failing', async () => {
    const store = fakeStore(new Set(['2']), () => new TypeError('Cannot read properties of undefined'));
    const classes: string[] = [];
    await handleIsolatingPoison(batch(4), { ...store.options, onFailure: (f) => void classes.push(f.class) });
    expect(classes.slice(0, UNKNOWN_FAILURE_ATTEMPTS).every((c) => c === 'unknown')).toBe(true);
    expect(store.parked).toEqual([{ offset: '2', failure: expect.objectContaining({ class: 'permanent', name: 'TypeError' }) }]);
    expect([...store.written].sort()).toEqual(['0', '1', '3']);
  });

  it('parks at once what a use case declares impossible', async () => {
    const store = fakeStore(new Set(['0']), () => new PermanentFailure('tenant was deleted'));
    await handleIsolatingPoison(batch(1), store.options);
    expect(store.calls()).toBe(1);
    expect(store.parked.map((p) => p.offset)).toEqual(['0']);
  });

  it('retries parking while the dead-letter topic cannot be written, and parks once', async () => {
    const store = fakeStore(new Set(['0']));
    let brokerDown = 2;
    const letters: string[] = [];
    await handleIsolatingPoison(batch(1), {
      ...store.options,
      park: async (m) => {
        if (brokerDown-- > 0) throw Object.assign(new Error('Connection error'), { name: 'KafkaJSConnectionError', retriable: true });
        letters.push(m.offset);
      },
    });
    expect(letters).toEqual(['0']);
  });

  it('gives the work up, parking nothing, once the partition is no longer owned', async () => {
    let owned = true;
    const store = fakeStore(new Set(['1']));
    const run = handleIsolatingPoison(batch(2), {
      ...store.options,
      handle: async () => {
        owned = false; // a rebalance took the partition during the call
        throw refused();
      },
      keepTrying: () => owned,
    });
    await expect(run).rejects.toMatchObject({ code: '22008' });
    expect(store.parked).toEqual([]);
  });

  it('never parks for an unknown failure while nothing else succeeds (an outage it does not recognise), and parks once something does', async () => {
    let clock = 1_000;
    let lastSuccessAt = 0;
    const parked: string[] = [];
    let tries = 0;
    const run = handleIsolatingPoison([message(0)], {
      handle: async () => {
        tries++;
        throw new Error('socket hang up, in words nobody classified');
      },
      park: async (m) => void parked.push(m.offset),
      keepTrying: () => true,
      onFailure: () => undefined,
      sleep: async () => {
        clock += 1_000;
        // Another partition's work goes through only after 20 tries.
        if (tries === 20) lastSuccessAt = clock;
      },
      lastSuccessAt: () => lastSuccessAt,
      now: () => clock,
    });
    await run;
    expect(tries).toBe(21);
    expect(parked).toEqual(['0']);
  });
});
