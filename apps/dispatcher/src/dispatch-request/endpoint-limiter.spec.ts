import { AbandonedError, EndpointLimiter, type Horizon } from './endpoint-limiter';

const gate = () => {
  let open!: () => void;
  const promise = new Promise<void>((r) => (open = r));
  return { promise, open };
};
const tick = () => new Promise((r) => setImmediate(r));

describe(EndpointLimiter.name, () => {
  it('runs at most `concurrency` tasks per endpoint and queues the rest in order', async () => {
    const limiter = new EndpointLimiter(2);
    const gates = [gate(), gate(), gate()];
    const started: number[] = [];
    const runs = gates.map((g, i) => limiter.run('ep', async () => (started.push(i), g.promise)));
    await tick();
    expect(started).toEqual([0, 1]);
    expect(limiter.load('ep')).toMatchObject({ active: 2, queued: 1 });
    gates[1].open();
    await runs[1];
    await tick();
    expect(started).toEqual([0, 1, 2]);
    gates[0].open();
    gates[2].open();
    expect(await Promise.all(runs)).toEqual([
      { ran: true, value: undefined },
      { ran: true, value: undefined },
      { ran: true, value: undefined },
    ]);
    expect(limiter.load('ep')).toMatchObject({ active: 0, queued: 0 });
  });

  it('keeps endpoints independent: a blocked one does not hold another', async () => {
    const limiter = new EndpointLimiter(1);
    const stuck = gate();
    void limiter.run('slow', () => stuck.promise);
    await expect(limiter.run('fast', async () => 'done')).resolves.toEqual({ ran: true, value: 'done' });
    stuck.open();
  });

  it("learns an endpoint's attempt time from finished attempts, and raises it to the age of the youngest still running", async () => {
    let now = 0;
    const limiter = new EndpointLimiter(2, () => now);
    expect(limiter.load('ep').attemptMs).toBe(0); // never seen: unknown
    const first = gate();
    const second = gate();
    const a = limiter.run('ep', () => first.promise);
    now = 1_000;
    const b = limiter.run('ep', () => second.promise);
    now = 4_000;
    expect(limiter.load('ep').attemptMs).toBe(3_000); // both running; the youngest has run 3 s
    first.open();
    await a;
    expect(limiter.load('ep').attemptMs).toBe(4_000); // the first took 4 s
    second.open();
    await b;
    expect(limiter.load('ep').attemptMs).toBe(4_000 + 0.3 * (3_000 - 4_000)); // smoothed, and kept while the endpoint is idle
  });

  describe('judged only by what the dispatcher could have heard (the horizon)', () => {
    /** A horizon the test moves: `heard` is the time up to which every answer that had arrived has been read. */
    const horizonAt = () => {
      const horizon = { heard: 0, inFlight: 0 };
      const port: Horizon = { enter: () => void horizon.inFlight++, leave: () => void horizon.inFlight--, heardUpTo: () => horizon.heard };
      return { horizon, port };
    };

    it("does not hold the dispatcher's own busy time against a healthy endpoint", async () => {
      let now = 0;
      const { horizon, port } = horizonAt();
      const limiter = new EndpointLimiter(2, () => now, undefined, port);
      const answer = gate();
      const run = limiter.run('ep', () => answer.promise);
      expect(horizon.inFlight).toBe(1);
      // The loop is busy for 800 ms (a large fetch being admitted): the attempt looks 800 ms old by the clock.
      now = 800;
      expect(limiter.load('ep').attemptMs).toBe(0);
      // Its answer is read as soon as the loop turns: it had come within the busy spell, so nothing says the endpoint was slow.
      answer.open();
      await run;
      expect(horizon.inFlight).toBe(0);
      expect(limiter.load('ep').attemptMs).toBe(0);
    });

    it('still sees a hung endpoint as soon as the loop has been free while its attempt had no answer', async () => {
      let now = 0;
      const { horizon, port } = horizonAt();
      const limiter = new EndpointLimiter(2, () => now, undefined, port);
      const never = gate();
      const run = limiter.run('hung', () => never.promise);
      now = 5_020;
      horizon.heard = 5_000; // the loop turned at 5 s and the attempt was still unanswered
      expect(limiter.load('hung').attemptMs).toBe(5_000);
      never.open();
      await run;
      expect(limiter.load('hung').attemptMs).toBe(5_000); // ended after the horizon: at least that long
    });
  });

  it('remembers a hung endpoint as slow after its attempts time out together, instead of starting from zero', async () => {
    let now = 0;
    const limiter = new EndpointLimiter(2, () => now);
    const wave = [gate(), gate()];
    const runs = wave.map((g) => limiter.run('hung', () => g.promise));
    const next = gate();
    const queued = limiter.run('hung', () => next.promise);
    now = 30_000;
    wave.forEach((g) => g.open());
    await Promise.all(runs);
    await tick();
    expect(limiter.load('hung')).toEqual({ active: 1, queued: 0, attemptMs: 30_000 });
    next.open();
    await queued;
  });

  it('sheds the newest waiting requests beyond the room it is given; they resolve as not run, the oldest keep their place', async () => {
    const limiter = new EndpointLimiter(1);
    const running = gate();
    const started: number[] = [];
    const first = limiter.run('ep', () => running.promise);
    const waiting = [1, 2, 3, 4].map((i) => limiter.run('ep', async () => void started.push(i)));
    const rooms: [string, number][] = [];
    expect(limiter.shed((key, load) => (rooms.push([key, load.queued]), 1))).toBe(3);
    expect(rooms).toEqual([['ep', 4]]);
    expect(await Promise.all(waiting.slice(1))).toEqual([
      { ran: false, rateDelayMs: null },
      { ran: false, rateDelayMs: null },
      { ran: false, rateDelayMs: null },
    ]);
    running.open();
    await first;
    expect(await waiting[0]).toEqual({ ran: true, value: undefined });
    expect(started).toEqual([1]);
    expect(limiter.load('ep')).toMatchObject({ active: 0, queued: 0 });
  });

  it('sheds only the endpoints it is asked about', async () => {
    const limiter = new EndpointLimiter(1);
    const gates = [gate(), gate()];
    void limiter.run('a', () => gates[0].promise);
    void limiter.run('b', () => gates[1].promise);
    const waitingA = limiter.run('a', async () => 'a');
    const waitingB = limiter.run('b', async () => 'b');
    expect(limiter.shed(() => 0, ['a'])).toBe(1);
    await expect(waitingA).resolves.toEqual({ ran: false, rateDelayMs: null });
    gates.forEach((g) => g.open());
    await expect(waitingB).resolves.toEqual({ ran: true, value: 'b' });
  });

  it('abandons every waiting request at once when stopping, lets the running ones finish, and refuses new ones', async () => {
    const limiter = new EndpointLimiter(1);
    const running = gate();
    const inFlight = limiter.run('ep', () => running.promise.then(() => 'finished'));
    const waiting = [
      limiter.run('ep', async () => 'never'),
      limiter.run('other', () => new Promise(() => undefined)),
      limiter.run('other', async () => 'never'),
    ];
    expect(limiter.abandon()).toBe(2);
    await expect(waiting[0]).rejects.toBeInstanceOf(AbandonedError);
    await expect(waiting[2]).rejects.toBeInstanceOf(AbandonedError);
    await expect(limiter.run('third', async () => 'new')).rejects.toBeInstanceOf(AbandonedError);
    running.open();
    await expect(inFlight).resolves.toEqual({ ran: true, value: 'finished' });
  });

  it('frees the slot when a task throws', async () => {
    const limiter = new EndpointLimiter(1);
    await expect(limiter.run('ep', async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(limiter.run('ep', async () => 1)).resolves.toEqual({ ran: true, value: 1 });
  });

  it('counts what all endpoints hold', async () => {
    const limiter = new EndpointLimiter(1);
    const gates = [gate(), gate()];
    const runs = [limiter.run('a', () => gates[0].promise), limiter.run('a', async () => 0), limiter.run('b', () => gates[1].promise)];
    expect(limiter.totals()).toEqual({ active: 2, queued: 1, backlogged: 1 });
    gates.forEach((g) => g.open());
    await Promise.all(runs);
    expect(limiter.totals()).toEqual({ active: 0, queued: 0, backlogged: 0 });
  });
});
