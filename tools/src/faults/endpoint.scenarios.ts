import { parseDuration } from '@hookline/retry-policy';
import { pgQuery } from '../bench/servers';
import { Harness } from './harness';
import { percentile } from './tally';
import { base, type Scenario, withHarness } from './scenario';

/* 4. An endpoint answering 500 for a while, then 200: all delivered, attempts on the retry schedule. */
const SCHEDULE_4 = { full: ['5s', '10s', '20s', '40s', '80s'], quick: ['5s', '5s', '10s', '20s'] };
export const failingEndpoint: Scenario = {
  n: 4,
  title: '4. endpoint answers 500, then recovers',
  budgetS: (s) => (s.quick ? 150 : 300),
  run: (s, deadline) => {
    const schedule = s.quick ? SCHEDULE_4.quick : SCHEDULE_4.full;
    const failMs = s.quick ? 15_000 : 60_000;
    return withHarness(base(s, 's4', deadline, { HOOKLINE_RETRY_SCHEDULE: schedule.join(',') }), failingEndpoint.title, async (h) => {
      const [endpoint] = await h.addEndpoints('flaky', 1);
      const count = s.quick ? 50 : 200;
      let failUntil = Infinity;
      h.receiver.setBehaviour(endpoint!.path, (now) => {
        if (failUntil === Infinity) failUntil = now + failMs;
        return { status: now < failUntil ? 500 : 200 };
      });
      await h.sendEvents(['flaky'], count, { rate: 0, name: 'load' });
      await h.waitDelivered('all events after the endpoint recovered');
      const recoverS = Math.round((h.lastExpectedAt()! - failUntil) / 100) / 10;
      const failures = await checkSchedule(
        h,
        endpoint!.id,
        schedule.map((d) => parseDuration(d)! / 1000),
      );
      return { recoverS, failures: failures.problems, notes: [`failing ${failMs / 1000} s, HOOKLINE_RETRY_SCHEDULE=${schedule.join(',')}`, ...failures.notes] };
    });
  },
};

/**
 * The gaps between attempts, read from the delivery log: each gap's mean over
 * all deliveries within ±10 % of the schedule, and each single gap within the
 * ±20 % jitter widened by 10 % of the delay.
 */
async function checkSchedule(h: Harness, endpointId: string, delaysS: number[]): Promise<{ problems: string[]; notes: string[] }> {
  const rows = await pgQuery<{ delivery_id: string; attempt_number: number; started_at: Date }>(
    h.stack.databaseUrl,
    'select delivery_id, attempt_number, started_at from attempts where endpoint_id = $1 order by delivery_id, attempt_number',
    [endpointId],
  );
  const byDelivery = new Map<string, number[]>();
  for (const r of rows.rows) byDelivery.set(r.delivery_id, [...(byDelivery.get(r.delivery_id) ?? []), r.started_at.getTime()]);
  const gaps: number[][] = delaysS.map(() => []);
  for (const times of byDelivery.values()) for (let k = 1; k < times.length && k <= delaysS.length; k++) gaps[k - 1]!.push((times[k]! - times[k - 1]!) / 1000);
  const problems: string[] = [];
  const means: string[] = [];
  gaps.forEach((g, k) => {
    if (!g.length) return;
    const d = delaysS[k]!;
    const mean = g.reduce((a, b) => a + b, 0) / g.length;
    means.push(`${d}s→${mean.toFixed(2)}s`);
    if (Math.abs(mean - d) > 0.1 * d) problems.push(`retry ${k + 1}: mean gap ${mean.toFixed(2)} s, schedule ${d} s (±10 %)`);
    const outside = g.filter((x) => x < 0.7 * d || x > 1.3 * d).length;
    if (outside) problems.push(`retry ${k + 1}: ${outside} gaps outside ${d} s ±20 % jitter ±10 %`);
  });
  if (!gaps[0]!.length) problems.push('no retry found in the delivery log');
  return { problems, notes: [`mean gaps ${means.join(' ')} over ${byDelivery.size} deliveries`] };
}

/* 5. One endpoint hanging beside nine healthy ones: healthy p99 against a run without it. */
export const hangingEndpoint: Scenario = {
  n: 5,
  title: '5. one endpoint hangs 30 s beside 9',
  // At a rate beyond what the machine sustains, both runs queue: the budget grows with the deliveries to make.
  budgetS: (s) => (s.quick ? 240 : 480) + Math.max(0, (s.rate ?? 0) - 40) * 3,
  run: (s, deadline) => {
    const hangMs = s.quick ? 15_000 : 30_000;
    const rate = s.rate ?? (s.quick ? 20 : 40);
    const count = (hangMs / 1000) * rate;
    return withHarness(base(s, 's5', deadline), hangingEndpoint.title, async (h) => {
      const baseline = await h.addEndpoints('calm', 9);
      const healthy = await h.addEndpoints('busy', 9);
      let hangFrom = Infinity;
      const [hung] = await h.addEndpoints('busy', 1, { timeoutMs: 30_000 });
      h.receiver.setBehaviour(hung!.path, (now) => (now >= hangFrom && now < hangFrom + hangMs ? { hangUntil: hangFrom + hangMs } : { status: 200 }));
      const p99Of = (paths: string[], name: string) =>
        percentile(
          [...h.tally().firsts.values()].filter((r) => paths.includes(r.path) && r.key.includes(`-${name}-`)).map((r) => r.at - r.sentAt),
          99,
        );
      await h.sendEvents(['calm'], count, { rate, name: 'calm', batch: Math.max(1, rate / 10) });
      await h.waitDelivered('the run without the hanging endpoint');
      hangFrom = Date.now();
      const hangEnd = hangFrom + hangMs;
      await h.sendEvents(['busy'], count, { rate, name: 'busy', batch: Math.max(1, rate / 10) });
      await h.waitDelivered('the run with the hanging endpoint');
      const without = p99Of(
        baseline.map((e) => e.path),
        'calm',
      )!;
      const withHung = p99Of(
        healthy.map((e) => e.path),
        'busy',
      )!;
      const failures = withHung > without * 1.2 ? [`healthy p99 ${withHung} ms with the hanging endpoint vs ${without} ms without (> +20 %)`] : [];
      return {
        recoverS: Math.round((h.lastExpectedAt()! - hangEnd) / 100) / 10,
        failures,
        notes: [`healthy p99 ${withHung} ms vs ${without} ms without; ${rate} events/s for ${hangMs / 1000} s to each of 10 / 9 endpoints`],
      };
    });
  },
};
