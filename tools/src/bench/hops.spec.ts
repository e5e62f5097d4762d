import { hopLatencies, type HopRecord } from './hops';

const accepted = (eventId: string, at: number, sentAt?: number, tenantId = 't0'): HopRecord => ({ topic: 'accepted', at, tenantId, eventId, sentAt });
const requested = (eventId: string, deliveryId: string, at: number, firstAttempt = true, tenantId = 't0'): HopRecord => ({
  topic: 'requested',
  at,
  tenantId,
  eventId,
  deliveryId,
  firstAttempt,
});
const completed = (deliveryId: string, startedAt: number, attempt = 1): HopRecord => ({ topic: 'completed', deliveryId, attempt, startedAt });

describe(hopLatencies.name, () => {
  it('times each hop of an event from the records it left, per phase', () => {
    const hops = hopLatencies(
      [
        accepted('run-s1-0', 1_010, 1_000),
        requested('run-s1-0', 'd0', 1_013),
        completed('d0', 1_020),
        accepted('run-s2-7', 2_050, 2_000),
        requested('run-s2-7', 'd7', 2_090),
        completed('d7', 2_095),
      ],
      'run',
      ['s1', 's2'],
    );
    expect(hops.s1).toMatchObject({ ingest: { p50: 10, count: 1 }, rulesEngine: { p50: 3, count: 1 }, dispatcher: { p50: 7, count: 1 } });
    expect(hops.s2).toMatchObject({ ingest: { p50: 50, count: 1 }, rulesEngine: { p50: 40, count: 1 }, dispatcher: { p50: 5, count: 1 } });
  });

  it('counts only first attempts, of the run’s own phases, and tells tenants’ equal event ids apart', () => {
    const hops = hopLatencies(
      [
        accepted('run-s1-1', 1_010, 1_000, 'a'),
        accepted('run-s1-1', 1_500, 1_000, 'b'),
        requested('run-s1-1', 'da', 1_020, true, 'a'),
        completed('da', 1_030),
        completed('da', 9_000, 2), // a retry
        requested('run-s1-1', 'da', 9_500, false, 'a'), // re-issued: not a first attempt
        accepted('run-w-3', 100, 90), // warm-up
        requested('run-w-3', 'dw', 120),
        completed('dw', 130),
        accepted('other-s1-1', 100, 90),
        requested('other-s1-1', 'dx', 120),
      ],
      'run',
      ['s1'],
    );
    expect(Object.keys(hops)).toEqual(['s1']);
    expect(hops.s1).toMatchObject({ ingest: { p50: 10, count: 1 }, rulesEngine: { p50: 10, count: 1 }, dispatcher: { p50: 10, count: 1 } });
  });

  it('leaves out an event it cannot join, and a send time it does not have', () => {
    const hops = hopLatencies(
      [requested('run-s1-0', 'd0', 1_013), completed('d0', 1_020), accepted('run-s1-1', 1_010), requested('run-s1-1', 'd1', 1_015)],
      'run',
      ['s1'],
    );
    expect(hops.s1).toMatchObject({ ingest: { count: 0 }, rulesEngine: { p50: 5, count: 1 }, dispatcher: { p50: 7, count: 1 } });
  });
});
