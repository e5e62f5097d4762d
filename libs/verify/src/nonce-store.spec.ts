import { MemoryNonceStore } from './nonce-store';

describe(MemoryNonceStore.name, () => {
  let clock = 0;
  const store = (maxEntries?: number) => new MemoryNonceStore({ maxEntries, now: () => clock });
  beforeEach(() => {
    clock = 1_000_000;
  });

  it('accepts a nonce once and refuses it until it expires', async () => {
    const nonces = store();
    await expect(nonces.checkAndRemember('n1', clock + 1000)).resolves.toBe(true);
    await expect(nonces.checkAndRemember('n1', clock + 1000)).resolves.toBe(false);
    clock += 999;
    await expect(nonces.checkAndRemember('n1', clock + 1000)).resolves.toBe(false);
    clock += 1;
    await expect(nonces.checkAndRemember('n1', clock + 1000)).resolves.toBe(true);
  });

  it('forgets expired nonces instead of growing', async () => {
    const nonces = store();
    for (let i = 0; i < 1000; i++) {
      await nonces.checkAndRemember(`n${i}`, clock + 10);
      clock += 1;
    }
    expect(nonces.size).toBeLessThanOrEqual(11);
  });

  it('keeps at most maxEntries, dropping the oldest first', async () => {
    const nonces = store(3);
    for (const n of ['a', 'b', 'c', 'd']) await nonces.checkAndRemember(n, clock + 1000);
    expect(nonces.size).toBe(3);
    await expect(nonces.checkAndRemember('d', clock + 1000)).resolves.toBe(false);
    await expect(nonces.checkAndRemember('a', clock + 1000)).resolves.toBe(true);
  });

  it('lets exactly one of 50 concurrent copies of a nonce through', async () => {
    const nonces = store();
    const results = await Promise.all(Array.from({ length: 50 }, () => nonces.checkAndRemember('same', clock + 1000)));
    expect(results.filter(Boolean)).toHaveLength(1);
  });
});
