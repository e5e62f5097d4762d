import { AttemptsCompletedTopic, DeliveriesDeferredTopic } from '@hookline/contracts';
import type { DeliveryRequest, EndpointConfig } from '@hookline/contracts';
import { aDeliveryRequest, anEndpointConfig, FIXTURE_ENDPOINT_ID } from '@hookline/testing';
import pino from 'pino';
import { FakeEndpoints as Endpoints, GatedAttempt, RecordingResults } from './dispatch-request.fakes';
import { DispatchRequest, type EndpointConfigs } from './dispatch-request.usecase';
import { AbandonedError, EndpointLimiter } from './endpoint-limiter';

const ENDPOINT = FIXTURE_ENDPOINT_ID;
const request = (n: number, attempt = 1): DeliveryRequest => aDeliveryRequest(n, { attempt, endpointVersion: 2 });

class FakeEndpoints extends Endpoints {
  constructor() {
    super(anEndpointConfig({ version: 2 }));
  }
}

const silent = pino({ level: 'silent' });
const tick = () => new Promise((r) => setImmediate(r));
const limits = (concurrency: number) => ({ concurrency, queueLimit: 1_000, share: 1_000 });

describe(DispatchRequest.name, () => {
  it("attempts with the endpoint's config at the routed version and puts the outcome on Kafka with the attempt's trace", async () => {
    const endpoints = new FakeEndpoints();
    const results = new RecordingResults();
    const dispatch = new DispatchRequest(endpoints, new GatedAttempt(false), results, new EndpointLimiter(2), limits(2), () => 0.5, silent);
    expect(await dispatch.execute(request(1), {})).toBe('attempted');
    // Once, caught up to the routed version, to see whether it is paused and what its limits are; when its slot comes, its
    // latest known config (it may have changed while the request waited) is read without a second catch-up.
    expect(endpoints.asked).toEqual([[ENDPOINT, 2]]);
    expect(results.sent).toHaveLength(1);
    expect(results.sent[0].topic).toBe(AttemptsCompletedTopic.name);
    expect(results.sent[0].message.value).toMatchObject({ succeeded: true, deliveryId: request(1).deliveryId });
    // The outcome's readers filter on its headers (a first-try success is skipped by the retry-scheduler without parsing).
    expect(results.sent[0].message.headers).toEqual({
      traceparent: `00-${'a'.repeat(32)}-${'b'.repeat(16)}-01`,
      'hookline-outcome': 'succeeded',
      'hookline-attempt': '1',
      'hookline-endpoint-version': String(request(1).endpointVersion),
      'hookline-mode': 'live',
      'hookline-event-type': request(1).event.type,
    });
  });

  it('defers at once a request that would wait too long behind a slow endpoint: same attempt, one more deferral, a delay to drain it', async () => {
    let now = 0;
    const limiter = new EndpointLimiter(1, () => now);
    const attempt = new GatedAttempt(true);
    const results = new RecordingResults();
    const dispatch = new DispatchRequest(new FakeEndpoints(), attempt, results, limiter, limits(1), () => 0.5, silent);
    const running = dispatch.execute(request(1), {});
    await tick();
    now = 3_000; // its one attempt has run 3 s: a request queued now could expect to start only after the 2 s bound
    expect(await dispatch.execute({ ...request(2, 3), deferrals: 1 }, { traceparent: 't' })).toBe('deferred');
    expect(attempt.started.map((r) => r.event.id)).toEqual(['evt_1']);
    expect(results.sent).toEqual([
      {
        topic: DeliveriesDeferredTopic.name,
        // 1 held × 3 s / 1 slot, doubled for the earlier deferral
        message: { value: { request: { ...request(2, 3), deferrals: 2 }, delayMs: 6_000, reason: 'endpoint_backlog' }, headers: { traceparent: 't' } },
      },
    ]);
    attempt.openAll();
    await running;
  });

  it('lets a fast endpoint burst wait in full instead of deferring it', async () => {
    const limiter = new EndpointLimiter(1, () => 0);
    const attempt = new GatedAttempt(true);
    const results = new RecordingResults();
    const dispatch = new DispatchRequest(new FakeEndpoints(), attempt, results, limiter, limits(1), () => 0, silent);
    const burst = [1, 2, 3, 4, 5].map((n) => dispatch.execute(request(n), {}));
    for (let i = 0; i < 5; i++) {
      await tick();
      attempt.openAll();
    }
    expect(await Promise.all(burst)).toEqual(['attempted', 'attempted', 'attempted', 'attempted', 'attempted']);
    expect(results.sent.every((s) => s.topic === AttemptsCompletedTopic.name)).toBe(true);
  });

  it('defers beyond the share of the partition window one endpoint may hold, however fast it is', async () => {
    const limiter = new EndpointLimiter(1, () => 0);
    const attempt = new GatedAttempt(true);
    const results = new RecordingResults();
    const dispatch = new DispatchRequest(new FakeEndpoints(), attempt, results, limiter, { ...limits(1), share: 3 }, () => 0.5, silent);
    const held = [1, 2, 3].map((n) => dispatch.execute(request(n), {}));
    expect(await dispatch.execute(request(4), {})).toBe('deferred');
    expect(results.sent.map((s) => s.message.value)).toEqual([{ request: { ...request(4), deferrals: 1 }, delayMs: 2_000, reason: 'partition_share' }]);
    for (let i = 0; i < 3; i++) {
      await tick();
      attempt.openAll();
    }
    expect(await Promise.all(held)).toEqual(['attempted', 'attempted', 'attempted']);
  });

  it("lets a fast endpoint's burst go past its share up to the whole window, and sheds it down to its room once it hangs", async () => {
    let now = 0;
    const limiter = new EndpointLimiter(1, () => now);
    const attempt = new GatedAttempt(true);
    const results = new RecordingResults();
    const dispatch = new DispatchRequest(new FakeEndpoints(), attempt, results, limiter, { ...limits(1), share: 3, window: 6 }, () => 0.5, silent);
    const burst = [1, 2, 3, 4, 5, 6, 7].map((n) => dispatch.execute(request(n), {}));
    await tick();
    // All six within the window start soon (its speed is not known to be slow); the seventh would go beyond the window.
    expect(
      results.sent.map((s) => [(s.message.value as { reason: string }).reason, (s.message.value as { request: DeliveryRequest }).request.event.id]),
    ).toEqual([['partition_share', 'evt_7']]);
    expect(await burst[6]).toBe('deferred');
    now = 1_000; // its one attempt has hung for 1 s: two may wait (1 slot × 2 s / 1 s); the three newest are handed back
    expect(dispatch.shedBacklog()).toBe(3);
    for (let i = 0; i < 4; i++) {
      await tick();
      attempt.openAll();
    }
    expect(await Promise.all(burst.slice(0, 6))).toEqual(['attempted', 'attempted', 'attempted', 'deferred', 'deferred', 'deferred']);
  });

  it('defers requests already waiting once their endpoint turns slow, keeping the oldest that can still start soon', async () => {
    let now = 0;
    const limiter = new EndpointLimiter(1, () => now);
    const attempt = new GatedAttempt(true);
    const results = new RecordingResults();
    const dispatch = new DispatchRequest(new FakeEndpoints(), attempt, results, limiter, limits(1), () => 0.5, silent);
    const all = [1, 2, 3, 4].map((n) => dispatch.execute(request(n), {})); // speed unknown: three wait
    await tick();
    now = 1_000; // one attempt in flight for 1 s: two may wait (2 s bound)
    expect(dispatch.shedBacklog()).toBe(1);
    expect(await all[3]).toBe('deferred');
    expect(results.sent.map((s) => [s.topic, s.message.value])).toEqual([
      [DeliveriesDeferredTopic.name, { request: { ...request(4), deferrals: 1 }, delayMs: 3_000, reason: 'endpoint_backlog' }],
    ]);
    for (let i = 0; i < 3; i++) {
      await tick();
      attempt.openAll();
    }
    expect(await Promise.all(all.slice(0, 3))).toEqual(['attempted', 'attempted', 'attempted']);
    expect(attempt.started.map((r) => r.event.id)).toEqual(['evt_1', 'evt_2', 'evt_3']);
  });

  it('hands back waiting requests at stop (they fail, so their offsets stay uncommitted) while the attempt in flight finishes', async () => {
    const limiter = new EndpointLimiter(1);
    const attempt = new GatedAttempt(true);
    const results = new RecordingResults();
    const dispatch = new DispatchRequest(new FakeEndpoints(), attempt, results, limiter, limits(1), () => 0.5, silent);
    const running = dispatch.execute(request(1), {});
    const waiting = dispatch.execute(request(2), {});
    await tick();
    expect(dispatch.abandonWaiting()).toBe(1);
    await expect(waiting).rejects.toBeInstanceOf(AbandonedError);
    attempt.openAll();
    expect(await running).toBe('attempted');
    expect(results.sent.map((s) => s.topic)).toEqual([AttemptsCompletedTopic.name]);
  });

  it('fails when the outcome cannot be produced, so the offset is not committed', async () => {
    const results = new RecordingResults();
    results.failWith = new Error('broker down');
    const dispatch = new DispatchRequest(new FakeEndpoints(), new GatedAttempt(false), results, new EndpointLimiter(1), limits(1), () => 0.5, silent);
    await expect(dispatch.execute(request(1), {})).rejects.toThrow('broker down');
  });

  describe('a paused endpoint', () => {
    /** The endpoint's latest config, switchable mid-test. */
    class SwitchableEndpoints implements EndpointConfigs {
      constructor(public current: EndpointConfig) {}
      async get(): Promise<EndpointConfig | undefined> {
        return this.current;
      }
      latest(): EndpointConfig | undefined {
        return this.current;
      }
    }
    const paused = anEndpointConfig({ version: 3, state: 'paused' });

    it('holds the request untried, with its attempt number and deferrals unchanged and the version it saw paused', async () => {
      const attempt = new GatedAttempt(false);
      const results = new RecordingResults();
      const dispatch = new DispatchRequest(new SwitchableEndpoints(paused), attempt, results, new EndpointLimiter(1), limits(1), () => 0.5, silent);
      const retry = { ...request(1, 3), deferrals: 1 };
      expect(await dispatch.execute(retry, { traceparent: 't' })).toBe('held');
      expect(attempt.started).toEqual([]);
      expect(results.sent).toEqual([
        {
          topic: DeliveriesDeferredTopic.name,
          message: { value: { request: retry, delayMs: 0, reason: 'paused', heldAtVersion: 3 }, headers: { traceparent: 't' } },
        },
      ]);
    });

    it('sends a test send to a paused endpoint rather than holding it', async () => {
      const attempt = new GatedAttempt(false);
      const dispatch = new DispatchRequest(
        new SwitchableEndpoints(paused),
        attempt,
        new RecordingResults(),
        new EndpointLimiter(1),
        limits(1),
        () => 0.5,
        silent,
      );
      expect(await dispatch.execute({ ...request(1), mode: 'test' }, {})).toBe('attempted');
      expect(attempt.started).toHaveLength(1);
    });

    it('holds a request that was waiting for a slot when its endpoint was paused', async () => {
      const endpoints = new SwitchableEndpoints(anEndpointConfig({ version: 2 }));
      const attempt = new GatedAttempt(true);
      const results = new RecordingResults();
      const dispatch = new DispatchRequest(endpoints, attempt, results, new EndpointLimiter(1), limits(1), () => 0.5, silent);
      const first = dispatch.execute(request(1), {});
      const second = dispatch.execute(request(2), {});
      await tick();
      expect(attempt.started).toHaveLength(1);
      endpoints.current = paused;
      attempt.openAll();
      expect(await Promise.all([first, second])).toEqual(['attempted', 'held']);
      expect(attempt.started.map((r) => r.event.id)).toEqual([request(1).event.id]);
      expect(results.sent.map((s) => [s.topic, (s.message.value as { reason?: string }).reason])).toEqual([
        [AttemptsCompletedTopic.name, undefined],
        [DeliveriesDeferredTopic.name, 'paused'],
      ]);
    });
  });

  it('hands a released request it cannot queue back to the hold at its place, with the rest of its page, and queues the next page', async () => {
    const attempt = new GatedAttempt(true);
    const results = new RecordingResults();
    // Room for one in flight and one waiting.
    const dispatch = new DispatchRequest(
      new FakeEndpoints(),
      attempt,
      results,
      new EndpointLimiter(1),
      { concurrency: 1, queueLimit: 1, share: 1_000 },
      () => 0.5,
      silent,
    );
    const released = (n: number, page: string) => ({ ...request(n), release: { page, order: n } });
    const first = [1, 2, 3, 4].map((n) => dispatch.execute(released(n, 'p1'), {}));
    await tick();
    attempt.openAll();
    await tick();
    const next = dispatch.execute(released(5, 'p2'), {});
    for (let i = 0; i < 5; i++) {
      await tick();
      attempt.openAll();
    }
    expect(await Promise.all([...first, next])).toEqual(['attempted', 'attempted', 'held', 'held', 'attempted']);
    const handedBack = results.sent.filter((s) => s.topic === DeliveriesDeferredTopic.name).map((s) => s.message.value);
    expect(handedBack).toEqual([3, 4].map((n) => ({ request: released(n, 'p1'), delayMs: 0, reason: 'release_backlog', heldAtVersion: 0 })));
  });
});
