import { AttemptsCompletedTopic, DeliveriesDeferredTopic, type DeliveryDeferred, type DeliveryRequest } from '@hookline/contracts';
import { aDeliveryRequest, anEndpointConfig } from '@hookline/testing';
import pino from 'pino';
import { FakeEndpoints, GatedAttempt, RecordingResults } from './dispatch-request.fakes';
import { DispatchRequest } from './dispatch-request.usecase';
import { EndpointLimiter } from './endpoint-limiter';
import { FakeTimers, settle } from './timers.fakes';

const request = (n: number, overrides: Record<string, unknown> = {}): DeliveryRequest => aDeliveryRequest(n, overrides);
const limits = { concurrency: 20, queueLimit: 1_000, share: 1_000 };

function setUp(endpoint: Record<string, unknown>) {
  const timers = new FakeTimers();
  const endpoints = new FakeEndpoints(anEndpointConfig(endpoint));
  const attempt = new GatedAttempt(false);
  const results = new RecordingResults();
  const dispatch = new DispatchRequest(
    endpoints,
    attempt,
    results,
    new EndpointLimiter(20, timers.clock, timers),
    limits,
    () => 0.5,
    pino({ level: 'silent' }),
  );
  const deferred = () => results.sent.filter((s) => s.topic === DeliveriesDeferredTopic.name).map((s) => s.message.value as DeliveryDeferred);
  const attempted = () => results.sent.filter((s) => s.topic === AttemptsCompletedTopic.name).length;
  return { timers, endpoints, attempt, dispatch, deferred, attempted };
}

describe(`${DispatchRequest.name} under an endpoint's rate limit`, () => {
  it('starts the burst, lets what gets a token within 2 s wait, and defers the rest, one token apart, as not failed', async () => {
    const { timers, attempt, dispatch, deferred, attempted } = setUp({ rateLimit: { perSecond: 50, burst: 50 } });
    const all = Array.from({ length: 200 }, (_, i) => dispatch.execute(request(i + 1), {}));
    await settle();
    expect(attempted()).toBe(50);
    // 100 wait (the 100th token is 2 s away); the other 50 come back a second before their token, 20 ms apart.
    const parked = deferred();
    expect(parked).toHaveLength(50);
    expect(parked.map((d) => d.reason)).toEqual(Array(50).fill('rate_limit'));
    expect(parked.map((d) => d.delayMs)).toEqual(Array.from({ length: 50 }, (_, i) => 1_020 + 20 * i));
    expect(parked.map((d) => d.request.event.id)).toEqual(Array.from({ length: 50 }, (_, i) => `evt_${151 + i}`));
    expect(parked.every((d) => d.request.attempt === 1 && d.request.deferrals === 1)).toBe(true);
    await timers.advance(2_000);
    expect(await Promise.all(all)).toEqual([...Array(150).fill('attempted'), ...Array(50).fill('deferred')]);
    // Started in the order they came, at the rate.
    expect(attempt.started.map((r) => r.event.id)).toEqual(Array.from({ length: 150 }, (_, i) => `evt_${i + 1}`));
  });

  it('puts a fresh request behind those deferred for the rate, and takes a returning one in', async () => {
    const { timers, dispatch, deferred } = setUp({ rateLimit: { perSecond: 10, burst: 1 } });
    const first = Array.from({ length: 25 }, (_, i) => dispatch.execute(request(i + 1), {}));
    await settle();
    // 1 started, 20 wait (2 s at 10/s), 4 deferred: due back from 2.1 s to 2.4 s.
    expect(deferred().map((d) => d.delayMs)).toEqual([1_100, 1_200, 1_300, 1_400]);
    await timers.advance(100);
    // One more started: a fresh request would get a token within 2 s, but those deferred are due first (until 2.5 s).
    expect(await dispatch.execute(request(30), {})).toBe('deferred');
    expect(deferred()[4]).toMatchObject({ reason: 'rate_limit', delayMs: 1_400 });
    const back = dispatch.execute({ ...deferred()[0].request }, {});
    await timers.advance(3_000);
    expect(await back).toBe('attempted');
    await Promise.all(first);
  });

  it('holds an endpoint to its maxInFlight, and defers what would wait too long behind it', async () => {
    const timers = new FakeTimers();
    const attempt = new GatedAttempt(true);
    const results = new RecordingResults();
    const endpoints = new FakeEndpoints(anEndpointConfig({ maxInFlight: 2 }));
    const dispatch = new DispatchRequest(
      endpoints,
      attempt,
      results,
      new EndpointLimiter(20, timers.clock, timers),
      limits,
      () => 0.5,
      pino({ level: 'silent' }),
    );
    const first = [1, 2, 3].map((n) => dispatch.execute(request(n), {}));
    await settle();
    expect(attempt.started).toHaveLength(2);
    timers.now = 3_000; // both attempts have run 3 s: nothing more may wait behind two slots
    expect(await dispatch.execute(request(4), {})).toBe('deferred');
    // Drain time for the three it holds at 3 s each over its two slots.
    expect(results.sent.map((s) => s.message.value)).toEqual([{ request: { ...request(4), deferrals: 1 }, delayMs: 4_500, reason: 'endpoint_backlog' }]);
    attempt.openAll();
    await settle();
    attempt.openAll();
    expect(await Promise.all(first)).toEqual(['attempted', 'attempted', 'attempted']);
  });

  it('applies a limit cleared on the endpoint to its next request at once', async () => {
    const { endpoints, dispatch, deferred, attempted } = setUp({ rateLimit: { perSecond: 0.1, burst: 1 } });
    expect(await dispatch.execute(request(1), {})).toBe('attempted');
    expect(await dispatch.execute(request(2), {})).toBe('deferred');
    expect(deferred()[0]).toMatchObject({ reason: 'rate_limit', delayMs: 9_000 });
    endpoints.config = anEndpointConfig({ rateLimit: null, version: 2 });
    expect(await dispatch.execute(request(3), {})).toBe('attempted');
    expect(attempted()).toBe(2);
  });

  it('ends requests to a disabled endpoint without pacing them: nothing is sent', async () => {
    const { dispatch, deferred, attempted } = setUp({ rateLimit: { perSecond: 0.1, burst: 1 }, enabled: false });
    expect(await Promise.all([1, 2, 3].map((n) => dispatch.execute(request(n), {})))).toEqual(['attempted', 'attempted', 'attempted']);
    expect(deferred()).toEqual([]);
    expect(attempted()).toBe(3);
  });

  it('sends a test delivery past the rate limit', async () => {
    const { dispatch, deferred } = setUp({ rateLimit: { perSecond: 0.1, burst: 1 } });
    expect(await dispatch.execute(request(1), {})).toBe('attempted');
    expect(await dispatch.execute(request(2, { mode: 'test' }), {})).toBe('attempted');
    expect(deferred()).toEqual([]);
  });

  it('defers, for the rate, waiting requests whose token moved out of reach when the limit was lowered', async () => {
    const { timers, endpoints, dispatch, deferred } = setUp({ rateLimit: { perSecond: 50, burst: 1 } });
    const all = Array.from({ length: 51 }, (_, i) => dispatch.execute(request(i + 1), {}));
    await settle();
    expect(deferred()).toEqual([]); // 1 started, 50 wait: the last token is 1 s away
    endpoints.config = anEndpointConfig({ rateLimit: { perSecond: 10, burst: 1 }, version: 2 });
    void dispatch.execute(request(60), {});
    await settle();
    // At 10/s only 20 may wait: the newest 30 are given back and due back in line order, a token apart, then the fresh one
    // (the retry-scheduler issues them by due time, whatever order the deferrals reached it in).
    const byDue = [...deferred()].sort((a, b) => a.delayMs - b.delayMs);
    expect(byDue.map((d) => [d.request.event.id, d.reason])).toEqual([
      ...Array.from({ length: 30 }, (_, i) => [`evt_${22 + i}`, 'rate_limit']),
      ['evt_60', 'rate_limit'],
    ]);
    const delays = byDue.map((d) => d.delayMs);
    expect(delays.slice(1).every((d, i) => d - delays[i] === 100)).toBe(true);
    await timers.advance(3_000);
    await Promise.all(all);
  });
});
