import type { EndpointId } from '@hookline/contracts';
import { freshDatabase } from '@hookline/testing';
import { ENDPOINT_STATS_SQL, EndpointStatsRepository } from './endpoint-stats.repository';

/**
 * An endpoint's health on a real PostgreSQL, from rows written as log-store
 * writes them. Every expected figure is worked out by hand below; rows of
 * other endpoints sit beside them and must count for nothing.
 */
describe(EndpointStatsRepository.name, () => {
  const database = freshDatabase();
  const repo = () => new EndpointStatsRepository(database.db);
  const E = '5b7c7a0e-8a3c-4d0e-9a53-00000000000e' as EndpointId;
  const F = '5b7c7a0e-8a3c-4d0e-9a53-00000000000f' as EndpointId;
  const NEVER_SUCCEEDED = '5b7c7a0e-8a3c-4d0e-9a53-000000000001' as EndpointId;
  const UNUSED = '5b7c7a0e-8a3c-4d0e-9a53-000000000002' as EndpointId;
  const EDGES = '5b7c7a0e-8a3c-4d0e-9a53-000000000003' as EndpointId;
  // The windows as the use case asks for them at 2026-11-22T12:00:00Z.
  const HOUR_AGO = new Date('2026-11-22T11:00:00.000Z');
  const DAY_AGO = new Date('2026-11-21T12:00:00.000Z');
  let n = 0;
  const uuid = () => `0d2f4c7e-1111-4222-8333-${String(++n).padStart(12, '0')}`;

  const attempt = (
    endpointId: EndpointId,
    startedAt: string,
    succeeded: boolean,
    durationMs: number,
    status: number | null,
    kind: string | null,
    message: string | null,
    mode = 'live',
  ) =>
    database.db.query(
      `INSERT INTO attempts (id, delivery_id, tenant_id, endpoint_id, attempt_number, url, succeeded, failure_kind, failure_message,
                             request_headers, response_status, duration_ms, started_at, mode)
       VALUES ($1, $2, 'acme', $3, 1, 'https://x.example.com', $4, $5, $6, '{}', $7, $8, $9, $10)`,
      [uuid(), uuid(), endpointId, succeeded, kind, message, status, durationMs, startedAt, mode],
    );
  const delivery = (endpointId: EndpointId, createdAt: string, status: string, mode = 'live') =>
    database.db.query(
      `INSERT INTO deliveries (id, tenant_id, event_id, endpoint_id, event_type, status, created_at, mode) VALUES ($1, 'acme', $2, $3, 'invoice.paid', $4, $5, $6)`,
      [uuid(), `evt_${n}`, endpointId, status, createdAt, mode],
    );

  beforeAll(async () => {
    // Within the last hour: 2 of 5 succeed; the network error has no answer time, so latency is over 100, 200, 300, 10000.
    await attempt(E, '2026-11-22T11:10:00Z', true, 100, 200, null, null);
    await attempt(E, '2026-11-22T11:20:00Z', true, 200, 200, null, null);
    await attempt(E, '2026-11-22T11:30:00Z', false, 300, 500, 'http_status', 'HTTP 500');
    await attempt(E, '2026-11-22T11:40:00Z', false, 10_000, null, 'timeout', 'no answer within 10000 ms');
    await attempt(E, '2026-11-22T11:50:00Z', false, 5, null, 'network', 'connect ECONNREFUSED');
    // Earlier that day: the day has 4 of 8 succeeding, latency over 50, 100, 200, 300, 400, 600, 10000.
    await attempt(E, '2026-11-22T06:00:00Z', true, 50, 204, null, null);
    await attempt(E, '2026-11-22T01:00:00Z', true, 400, 200, null, null);
    await attempt(E, '2026-11-21T13:00:00Z', false, 600, 503, 'http_status', 'HTTP 503');
    // Before the day: in no window.
    await attempt(E, '2026-11-21T11:00:00Z', false, 9_999, 500, 'http_status', 'HTTP 500');
    // Another endpoint's newer failure is not E's last error.
    await attempt(F, '2026-11-22T11:55:00Z', false, 7, 502, 'http_status', 'HTTP 502');

    await delivery(E, '2026-11-21T10:00:00Z', 'succeeded'); // before the day
    await delivery(E, '2026-11-21T13:00:00Z', 'dead');
    await delivery(E, '2026-11-22T01:00:00Z', 'succeeded'); // the newest success: the run of failures starts after it
    await delivery(E, '2026-11-22T06:00:00Z', 'dead');
    await delivery(E, '2026-11-22T11:10:00Z', 'dead');
    await delivery(E, '2026-11-22T11:20:00Z', 'failing'); // in progress: neither counts nor breaks the run
    await delivery(E, '2026-11-22T11:30:00Z', 'dead');
    await delivery(E, '2026-11-22T11:40:00Z', 'pending');
    await delivery(F, '2026-11-22T11:50:00Z', 'dead');
    await delivery(F, '2026-11-22T11:55:00Z', 'succeeded'); // another endpoint's success resets nothing of E's
    // Test sends to E in every window, newest of all: none may move a figure (the expectations below count live rows only).
    await attempt(E, '2026-11-22T11:58:00Z', false, 20_000, 418, 'http_status', 'HTTP 418 from a test send', 'test');
    await attempt(E, '2026-11-22T11:57:00Z', true, 1, 200, null, null, 'test');
    await delivery(E, '2026-11-22T11:57:00Z', 'succeeded', 'test'); // would end the run of failures if it counted
    await delivery(E, '2026-11-22T11:58:00Z', 'dead', 'test');
    await delivery(E, '2026-11-22T07:00:00Z', 'dead', 'test');
    // At the edges of a series from 2026-11-21T13:00Z: the first instant is in it, the instant 24 hours on is not.
    await attempt(EDGES, '2026-11-21T12:59:59.999Z', true, 10, 200, null, null);
    await attempt(EDGES, '2026-11-21T13:00:00.000Z', false, 10, 500, 'http_status', 'HTTP 500');
    await attempt(EDGES, '2026-11-22T12:59:59.999Z', true, 10, 200, null, null);
    await attempt(EDGES, '2026-11-22T13:00:00.000Z', true, 10, 200, null, null);
    for (const at of ['2026-11-01T00:00:00Z', '2026-11-10T00:00:00Z', '2026-11-22T11:00:00Z']) await delivery(NEVER_SUCCEEDED, at, 'dead');
    await delivery(NEVER_SUCCEEDED, '2026-11-22T11:01:00Z', 'failing');
  });

  it('counts attempts, their success and latency percentiles (interpolated, p50/p95/p99) over the last hour and the last day', async () => {
    const [hour, day] = await repo().windows(E, [HOUR_AGO, DAY_AGO]);
    expect(hour.attempts).toEqual({ total: 5, succeeded: 2 });
    // Sorted 100, 200, 300, 10000: p at rank p × 3 between neighbours. p50 = 200 + 0.5 × 100; p95 = 300 + 0.85 × 9700; p99 = 300 + 0.97 × 9700.
    expect(hour.latencyMs?.p50).toBeCloseTo(250, 6);
    expect(hour.latencyMs?.p95).toBeCloseTo(8545, 6);
    expect(hour.latencyMs?.p99).toBeCloseTo(9709, 6);
    expect(day.attempts).toEqual({ total: 8, succeeded: 4 });
    // Sorted 50, 100, 200, 300, 400, 600, 10000: rank p × 6. p50 = 300; p95 = 600 + 0.7 × 9400; p99 = 600 + 0.94 × 9400.
    expect(day.latencyMs?.p50).toBeCloseTo(300, 6);
    expect(day.latencyMs?.p95).toBeCloseTo(7180, 6);
    expect(day.latencyMs?.p99).toBeCloseTo(9436, 6);
  });

  it('counts the deliveries created in each window by their status now', async () => {
    const [hour, day] = await repo().windows(E, [HOUR_AGO, DAY_AGO]);
    expect(hour.deliveries).toEqual({ pending: 1, failing: 1, succeeded: 0, dead: 2 });
    expect(day.deliveries).toEqual({ pending: 1, failing: 1, succeeded: 1, dead: 4 });
  });

  it('counts live attempts per hour of the series, oldest first, with zeros for the hours without any', async () => {
    const series = await repo().hourly(E, DAY_AGO, 24);
    expect(series.map((h) => h.start.toISOString())).toEqual(Array.from({ length: 24 }, (_, i) => new Date(DAY_AGO.getTime() + i * 3_600_000).toISOString()));
    // 13:00 the day before is hour 1, 01:00 hour 13, 06:00 hour 18, the five of 11:xx hour 23 (the test sends of 11:57 and 11:58 not among them).
    const expected = Array.from({ length: 24 }, () => ({ attempts: 0, succeeded: 0 }));
    expected[1] = { attempts: 1, succeeded: 0 };
    expected[13] = { attempts: 1, succeeded: 1 };
    expected[18] = { attempts: 1, succeeded: 1 };
    expected[23] = { attempts: 5, succeeded: 2 };
    expect(series.map(({ attempts, succeeded }) => ({ attempts, succeeded }))).toEqual(expected);
  });

  it('puts an attempt at the first instant of the series in its first hour and one at its end in none', async () => {
    const series = await repo().hourly(EDGES, new Date('2026-11-21T13:00:00.000Z'), 24);
    expect(series).toHaveLength(24);
    expect(series[0]).toEqual({ start: new Date('2026-11-21T13:00:00.000Z'), attempts: 1, succeeded: 0 });
    expect(series[23]).toEqual({ start: new Date('2026-11-22T12:00:00.000Z'), attempts: 1, succeeded: 1 });
    expect(series.slice(1, 23).every((h) => h.attempts === 0 && h.succeeded === 0)).toBe(true);
    expect(await repo().hourly(UNUSED, DAY_AGO, 24)).toEqual(
      Array.from({ length: 24 }, (_, i) => ({ start: new Date(DAY_AGO.getTime() + i * 3_600_000), attempts: 0, succeeded: 0 })),
    );
  });

  it("finds the endpoint's newest failed attempt, whatever the window", async () => {
    expect(await repo().lastError(E)).toEqual({ at: new Date('2026-11-22T11:50:00Z'), kind: 'network', status: null, message: 'connect ECONNREFUSED' });
    expect(await repo().lastError(F)).toEqual({ at: new Date('2026-11-22T11:55:00Z'), kind: 'http_status', status: 502, message: 'HTTP 502' });
  });

  it('counts dead deliveries back from the newest to the last success, skipping those still in progress', async () => {
    expect(await repo().consecutiveFailures(E)).toBe(3);
    expect(await repo().consecutiveFailures(F)).toBe(0);
    expect(await repo().consecutiveFailures(NEVER_SUCCEEDED)).toBe(3);
  });

  it('answers zeros and nulls for an endpoint without a log', async () => {
    const [hour] = await repo().windows(UNUSED, [HOUR_AGO]);
    expect(hour).toEqual({ attempts: { total: 0, succeeded: 0 }, latencyMs: null, deliveries: { pending: 0, failing: 0, succeeded: 0, dead: 0 } });
    expect(await repo().lastError(UNUSED)).toBeNull();
    expect(await repo().consecutiveFailures(UNUSED)).toBe(0);
  });

  it('reads each figure as an index range of one endpoint, never by scanning a whole table or all of its log', async () => {
    await database.db.query('ANALYZE attempts');
    await database.db.query('ANALYZE deliveries');
    // A table this small is cheapest to scan whole; with scans priced out, the plan shows which index the query can use.
    const plan = async (sql: string, params: unknown[]) => {
      const session = database.db.createQueryRunner();
      try {
        await session.query('SET enable_seqscan = off');
        return JSON.stringify(await session.query(`EXPLAIN (FORMAT JSON) ${sql}`, params));
      } finally {
        await session.release();
      }
    };
    // Each statement as the repository runs it; an index scan's "Index Cond" shows the range it reads.
    const indexRanges = (json: string) => [...json.matchAll(/"Index Name":"(\w+)"[^{}]*?"Index Cond":"([^"]*)"/g)].map(([, name, cond]) => `${name}: ${cond}`);
    expect(indexRanges(await plan(ENDPOINT_STATS_SQL.attempts, [E, HOUR_AGO]))).toEqual([
      expect.stringMatching(/^attempts_endpoint_started_live: \(\(endpoint_id = .+\) AND \(started_at >= .+\)\)$/),
    ]);
    expect(indexRanges(await plan(ENDPOINT_STATS_SQL.hourly, [E, DAY_AGO, new Date('2026-11-22T12:00:00Z')]))).toEqual([
      expect.stringMatching(/^attempts_endpoint_started_live: \(\(endpoint_id = .+\) AND \(started_at >= .+\) AND \(started_at < .+\)\)$/),
    ]);
    expect(indexRanges(await plan(ENDPOINT_STATS_SQL.deliveries, [E, HOUR_AGO]))).toEqual([
      expect.stringMatching(/^deliveries_endpoint_created: \(\(endpoint_id = .+\) AND \(created_at >= .+\)\)$/),
    ]);
    expect(indexRanges(await plan(ENDPOINT_STATS_SQL.lastError, [E]))).toEqual([
      expect.stringMatching(/^attempts_endpoint_failed_live: \(endpoint_id = .+\)$/),
    ]);
    expect(indexRanges(await plan(ENDPOINT_STATS_SQL.consecutiveFailures, [E]))).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^deliveries_endpoint_(created|unsettled): \(\(endpoint_id = .+\) AND .*\(created_at >= COALESCE\(.+\)\)$/),
      ]),
    );
  });
});
