import { EndpointLimiter } from './endpoint-limiter';
import { FakeTimers, settle } from './timers.fakes';

const fifty = { perSecond: 50, burst: 5 };
const none = { maxInFlight: null, rateLimit: null };

/** A limiter on fake time, and a helper that runs `n` instant tasks for an endpoint, recording when each started. */
function setUp(concurrency = 20) {
  const timers = new FakeTimers();
  const limiter = new EndpointLimiter(concurrency, timers.clock, timers);
  const starts: number[] = [];
  const runAll = (key: string, n: number, options?: { rateExempt?: boolean }) =>
    Array.from({ length: n }, () => limiter.run(key, async () => void starts.push(timers.now), options));
  return { timers, limiter, starts, runAll };
}

describe(`${EndpointLimiter.name} under a rate limit`, () => {
  it('starts the burst at once, then one request per 1 / perSecond, in order', async () => {
    const { timers, limiter, starts, runAll } = setUp();
    limiter.configure('ep', { maxInFlight: null, rateLimit: fifty });
    const runs = runAll('ep', 10);
    await settle();
    expect(starts).toEqual([0, 0, 0, 0, 0]);
    expect(limiter.load('ep')).toMatchObject({ queued: 5, rate: { perSecond: 50, deferredAheadMs: 0 } });
    await timers.advance(200);
    expect(starts).toEqual([0, 0, 0, 0, 0, 20, 40, 60, 80, 100]);
    await Promise.all(runs);
    expect(timers.armed).toBe(0);
  });

  it('refills while idle, up to the burst', async () => {
    const { timers, limiter, starts, runAll } = setUp();
    limiter.configure('ep', { maxInFlight: null, rateLimit: fifty });
    await Promise.all(runAll('ep', 5));
    await timers.advance(60); // three tokens back
    limiter.configure('ep', { maxInFlight: null, rateLimit: fifty });
    const runs = runAll('ep', 4);
    await settle();
    expect(starts.slice(5)).toEqual([60, 60, 60]);
    await timers.advance(20);
    await Promise.all(runs);
    expect(starts.slice(5)).toEqual([60, 60, 60, 80]);
  });

  it('keeps endpoints apart: one out of tokens does not hold another', async () => {
    const { limiter, starts, runAll } = setUp();
    limiter.configure('limited', { maxInFlight: null, rateLimit: { perSecond: 1, burst: 1 } });
    void runAll('limited', 3);
    await Promise.all(runAll('free', 50));
    expect(starts).toHaveLength(51);
  });

  it('holds a request in flight to a slot and a token both', async () => {
    const { timers, limiter } = setUp();
    limiter.configure('ep', { maxInFlight: 1, rateLimit: { perSecond: 1000, burst: 10 } });
    const gates: (() => void)[] = [];
    const runs = [1, 2, 3].map(() => limiter.run('ep', () => new Promise<void>((open) => gates.push(open))));
    await timers.advance(100);
    expect(gates).toHaveLength(1);
    expect(limiter.load('ep')).toMatchObject({ active: 1, queued: 2 });
    gates[0]();
    await timers.advance(0);
    expect(gates).toHaveLength(2);
    gates[1]();
    await timers.advance(0);
    gates[2]();
    await Promise.all(runs);
  });

  it('applies a limit set, lowered, raised or cleared to the requests waiting and the next ones', async () => {
    const { timers, limiter, starts, runAll } = setUp();
    limiter.configure('ep', { maxInFlight: null, rateLimit: { perSecond: 10, burst: 1 } });
    const first = runAll('ep', 3);
    await timers.advance(0);
    expect(starts).toEqual([0]); // the next two wait 100 ms apart
    limiter.configure('ep', { maxInFlight: null, rateLimit: { perSecond: 100, burst: 1 } });
    await timers.advance(10);
    expect(starts).toEqual([0, 10]); // raised: its next token comes at the new rate
    limiter.configure('ep', none);
    await timers.advance(0);
    expect(starts).toEqual([0, 10, 10]); // cleared: waiting requests start at once
    await Promise.all(first);
    await Promise.all(runAll('ep', 30));
    expect(starts).toHaveLength(33);
    expect(limiter.load('ep').rate).toBeUndefined();
  });

  it('lets a test send past the rate limit, never past the cap', async () => {
    const { timers, limiter, starts, runAll } = setUp(1);
    limiter.configure('ep', { maxInFlight: null, rateLimit: { perSecond: 0.1, burst: 1 } });
    await Promise.all(runAll('ep', 1));
    await Promise.all(runAll('ep', 2, { rateExempt: true }));
    expect(starts).toEqual([0, 0, 0]);
    expect(limiter.load('ep', true).rate).toBeUndefined();
    expect(limiter.load('ep').rate).toMatchObject({ tokens: 0 });
    expect(timers.armed).toBe(0);
  });

  it('spaces the requests it defers for the rate one token apart, behind those waiting, and scales what is due back when the rate changes', async () => {
    const { timers, limiter, runAll } = setUp();
    limiter.configure('ep', { maxInFlight: null, rateLimit: { perSecond: 50, burst: 50 } });
    void runAll('ep', 150); // 50 at once, 100 waiting: the last one's token is 2 s away
    await settle();
    expect(limiter.load('ep')).toMatchObject({ queued: 100, rate: { tokens: 0 } });
    // The next token after those waiting is 101 / 50 s away; it comes back a second before.
    expect([1, 2, 3].map(() => limiter.deferForRate('ep'))).toEqual([1_020, 1_040, 1_060]);
    expect(limiter.load('ep').rate?.deferredAheadMs).toBe(2_080);
    limiter.configure('ep', { maxInFlight: null, rateLimit: { perSecond: 100, burst: 50 } });
    expect(limiter.load('ep').rate?.deferredAheadMs).toBe(1_040);
    await timers.advance(3_000);
  });

  it('forgets a full bucket with nothing due back, and a cap, once the endpoint is idle', async () => {
    const { timers, limiter, runAll } = setUp(20);
    limiter.configure('ep', { maxInFlight: 2, rateLimit: { perSecond: 1, burst: 1 } });
    await Promise.all(runAll('ep', 1));
    expect(limiter.concurrencyOf('ep')).toBe(2);
    limiter.shed(() => 0);
    expect(limiter.load('ep').rate).toBeDefined(); // still refilling
    await timers.advance(1_000);
    limiter.shed(() => 0);
    expect(limiter.load('ep').rate).toBeUndefined();
    expect(limiter.concurrencyOf('ep')).toBe(20);
  });
});

describe(`${EndpointLimiter.name} with an endpoint's maxInFlight`, () => {
  it("caps the endpoint below the dispatcher's cap, never above it", () => {
    const limiter = new EndpointLimiter(20);
    limiter.configure('low', { maxInFlight: 2, rateLimit: null });
    limiter.configure('high', { maxInFlight: 500, rateLimit: null });
    expect([limiter.concurrencyOf('low'), limiter.concurrencyOf('high'), limiter.concurrencyOf('other')]).toEqual([2, 20, 20]);
  });

  it('starts waiting requests at once when the cap is raised, and none beyond a lowered one', async () => {
    const { limiter } = setUp(20);
    limiter.configure('ep', { maxInFlight: 1, rateLimit: null });
    const gates: (() => void)[] = [];
    const runs = [1, 2, 3, 4].map(() => limiter.run('ep', () => new Promise<void>((open) => gates.push(open))));
    await settle();
    expect(gates).toHaveLength(1);
    limiter.configure('ep', { maxInFlight: 3, rateLimit: null });
    await settle();
    expect(gates).toHaveLength(3);
    limiter.configure('ep', { maxInFlight: 1, rateLimit: null });
    gates[0]();
    gates[1]();
    await settle();
    expect(gates).toHaveLength(3); // one still in flight: the lowered cap is full
    gates[2]();
    await settle();
    expect(gates).toHaveLength(4);
    gates[3]();
    await Promise.all(runs);
  });
});
