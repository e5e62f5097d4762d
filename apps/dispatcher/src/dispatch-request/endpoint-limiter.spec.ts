import { EndpointLimiter } from './endpoint-limiter';

const deferred = () => {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
};

describe(EndpointLimiter.name, () => {
  it('runs at most `concurrency` tasks per endpoint and queues the rest in order', async () => {
    const limiter = new EndpointLimiter(2);
    const gates = [deferred(), deferred(), deferred()];
    const started: number[] = [];
    const runs = gates.map((g, i) => limiter.run('ep', async () => (started.push(i), g.promise)));
    await Promise.resolve();
    expect(started).toEqual([0, 1]);
    expect(limiter.queued('ep')).toBe(1);
    gates[1].resolve();
    await runs[1];
    await Promise.resolve();
    expect(started).toEqual([0, 1, 2]);
    gates[0].resolve();
    gates[2].resolve();
    await Promise.all(runs);
    expect(limiter.queued('ep')).toBe(0);
  });

  it('keeps endpoints independent: a blocked one does not hold another', async () => {
    const limiter = new EndpointLimiter(1);
    const stuck = deferred();
    void limiter.run('slow', () => stuck.promise);
    await expect(limiter.run('fast', async () => 'done')).resolves.toBe('done');
    stuck.resolve();
  });

  it('tells how long the oldest request in flight has been running', async () => {
    let now = 1_000;
    const limiter = new EndpointLimiter(2, () => now);
    const gates = [deferred(), deferred()];
    expect(limiter.oldestActiveMs('ep')).toBe(0);
    const first = limiter.run('ep', () => gates[0].promise);
    now = 1_500;
    const second = limiter.run('ep', () => gates[1].promise);
    now = 3_000;
    expect(limiter.oldestActiveMs('ep')).toBe(2_000);
    gates[0].resolve();
    await first;
    expect(limiter.oldestActiveMs('ep')).toBe(1_500);
    gates[1].resolve();
    await second;
    expect(limiter.oldestActiveMs('ep')).toBe(0);
  });

  it('frees the slot when a task throws', async () => {
    const limiter = new EndpointLimiter(1);
    await expect(limiter.run('ep', async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(limiter.run('ep', async () => 1)).resolves.toBe(1);
  });
});
