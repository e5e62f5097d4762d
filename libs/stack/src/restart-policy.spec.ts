import fc from 'fast-check';
import { RestartPolicy } from './restart-policy';

describe(RestartPolicy.name, () => {
  it('waits 1 s, then twice as long after each crash in the window, and gives up at the fifth', () => {
    const policy = new RestartPolicy();
    const decisions = [0, 1_000, 3_000, 7_000, 15_000].map((at) => policy.onCrash(at));
    expect(decisions).toEqual([
      { restart: true, delayMs: 1_000, crashes: 1 },
      { restart: true, delayMs: 2_000, crashes: 2 },
      { restart: true, delayMs: 4_000, crashes: 3 },
      { restart: true, delayMs: 8_000, crashes: 4 },
      { restart: false, crashes: 5, windowMs: 60_000 },
    ]);
  });

  it('caps the wait at maxDelayMs', () => {
    const policy = new RestartPolicy({ initialDelayMs: 1_000, maxDelayMs: 30_000, maxCrashes: 100, windowMs: 3_600_000 });
    const delays = Array.from({ length: 8 }, (_, i) => policy.onCrash(i * 1_000)).map((d) => (d.restart ? d.delayMs : -1));
    expect(delays).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000]);
  });

  it('forgives crashes older than the window: a process that crashes once a minute is restarted forever after 1 s', () => {
    const policy = new RestartPolicy();
    for (let i = 0; i < 20; i++) expect(policy.onCrash(i * 60_000)).toEqual({ restart: true, delayMs: 1_000, crashes: 1 });
  });

  it('counts only the crashes inside the last window', () => {
    const policy = new RestartPolicy({ maxCrashes: 3, windowMs: 10_000 });
    expect(policy.onCrash(0).restart).toBe(true);
    expect(policy.onCrash(5_000).restart).toBe(true);
    // The first crash is 10 s old now: two in the window, not three.
    expect(policy.onCrash(10_000)).toEqual({ restart: true, delayMs: 2_000, crashes: 2 });
    expect(policy.onCrash(11_000)).toEqual({ restart: false, crashes: 3, windowMs: 10_000 });
  });

  it('refuses settings that make no sense, naming them', () => {
    expect(() => new RestartPolicy({ maxCrashes: 0 })).toThrow('maxCrashes must be a number of at least 1');
    expect(() => new RestartPolicy({ initialDelayMs: Number.NaN })).toThrow('initialDelayMs');
    expect(() => new RestartPolicy({ initialDelayMs: 5_000, maxDelayMs: 1_000 })).toThrow('maxDelayMs must be at least initialDelayMs');
  });

  it('never waits less than initialDelayMs or more than maxDelayMs, and gives up exactly when maxCrashes fall in the window', () => {
    fc.assert(
      fc.property(
        fc.record({
          initialDelayMs: fc.integer({ min: 1, max: 5_000 }),
          extra: fc.integer({ min: 0, max: 60_000 }),
          maxCrashes: fc.integer({ min: 1, max: 8 }),
        }),
        fc.array(fc.integer({ min: 0, max: 120_000 }), { maxLength: 30 }),
        ({ initialDelayMs, extra, maxCrashes }, gaps) => {
          const windowMs = 60_000;
          const policy = new RestartPolicy({ initialDelayMs, maxDelayMs: initialDelayMs + extra, maxCrashes, windowMs });
          const times: number[] = [];
          let now = 0;
          for (const gap of gaps) {
            now += gap;
            times.push(now);
            const inWindow = times.filter((t) => now - t < windowMs).length;
            const decision = policy.onCrash(now);
            expect(decision.crashes).toBe(inWindow);
            expect(decision.restart).toBe(inWindow < maxCrashes);
            if (decision.restart) {
              expect(decision.delayMs).toBeGreaterThanOrEqual(initialDelayMs);
              expect(decision.delayMs).toBeLessThanOrEqual(initialDelayMs + extra);
            }
          }
        },
      ),
    );
  });
});
