import { readFileSync } from 'node:fs';
import { EventsDeadLetteredTopic, EventsIngestedTopic } from '@hookline/contracts';
import { Kafka, logLevel, TopicNames } from '@hookline/kafka';
import { type ServiceName, SERVICES } from '@hookline/stack';
import { pgQuery } from '../bench/servers';
import { Harness, type HarnessOptions, sleep } from './harness';
import { percentile, recoverySeconds } from './tally';
import type { World } from './world';

export interface ScenarioSettings {
  world: World;
  quick: boolean;
  /** --events: overrides the event count of scenarios 1, 2, 3, 6 and 7's rate × duration. */
  events?: number;
  /** --soak-s: duration of the soak. */
  soakS?: number;
  /** --rate: events/s of scenario 5, each to all ten endpoints. */
  rate?: number;
  logDir: string;
  log: (msg: string) => void;
}

export interface Row {
  scenario: string;
  sent: number;
  delivered: number;
  lost: number;
  repeatedSameId: number;
  repeatedDifferentId: number;
  invalidSignatures: number;
  /** Deliveries that reached the endpoint but are missing from the delivery log. */
  notInLog: number;
  recoverS: number | null;
  pass: boolean;
  /** What else was checked or seen (failures first). */
  notes: string[];
  /** Per-process RSS of the soak: first and last minute, MiB. */
  rss?: Array<{ name: string; firstMiB: number; lastMiB: number }>;
}

export interface Scenario {
  n: number;
  title: string;
  /** Upper bound of the run, seconds (the scenario fails past it). */
  budgetS: (s: ScenarioSettings) => number;
  run: (s: ScenarioSettings, deadline: number) => Promise<Row>;
}

const base = (s: ScenarioSettings, tag: string, deadline: number, env: Record<string, string> = {}): HarnessOptions => ({
  tag,
  world: s.world,
  deadline,
  logDir: s.logDir,
  log: (m) => s.log(`${tag}: ${m}`),
  env,
});

/** The retry schedule the scenarios run with: short, so that a scenario ends in minutes (the default spans 24 h). */
export const FAULT_RETRY_SCHEDULE = '1s,2s,4s,8s,16s,16s,16s,16s';

/** Runs `body` on a started harness and turns what it saw into the scenario's row; the stack is stopped in any case. */
async function withHarness(
  opts: HarnessOptions,
  title: string,
  body: (h: Harness) => Promise<{ recoverS: number | null; failures?: string[]; notes?: string[]; sent?: number; rss?: Row['rss'] }>,
): Promise<Row> {
  const h = new Harness({ ...opts, env: { HOOKLINE_RETRY_SCHEDULE: FAULT_RETRY_SCHEDULE, ...opts.env } });
  try {
    await h.start();
    const out = await body(h);
    await sleep(2000); // late repeats still count
    const t = h.tally();
    const notInLog = await h.missingFromLog();
    const failures = [...(out.failures ?? [])];
    if (t.lost) failures.push(`${t.lost} lost`);
    if (t.repeatedDifferentId) failures.push(`${t.repeatedDifferentId} received under another id`);
    if (t.invalidSignatures) failures.push(`${t.invalidSignatures} invalid signatures`);
    if (t.unexpected) failures.push(`${t.unexpected} unexpected deliveries`);
    if (notInLog) failures.push(`${notInLog} delivered but missing from the delivery log`);
    const notes = [...failures, ...(out.notes ?? [])];
    if (h.retriedPosts) notes.push(`${h.retriedPosts} POSTs retried`);
    if (h.unexpectedExits.length) notes.push(`restarted after exiting on their own: ${h.unexpectedExits.join(', ')}`);
    return {
      scenario: title,
      sent: out.sent ?? new Set(h.expected.map((p) => p.eventId)).size,
      delivered: t.delivered,
      lost: t.lost,
      repeatedSameId: t.repeatedSameId,
      repeatedDifferentId: t.repeatedDifferentId,
      invalidSignatures: t.invalidSignatures,
      notInLog,
      recoverS: out.recoverS,
      pass: failures.length === 0,
      notes,
      rss: out.rss,
    };
  } catch (error) {
    const t = h.tally();
    return {
      scenario: title,
      sent: new Set(h.expected.map((p) => p.eventId)).size,
      delivered: t.delivered,
      lost: t.lost,
      repeatedSameId: t.repeatedSameId,
      repeatedDifferentId: t.repeatedDifferentId,
      invalidSignatures: t.invalidSignatures,
      notInLog: 0,
      recoverS: null,
      pass: false,
      notes: [`FAILED: ${(error as Error).message.split('\n')[0]}`, ...(h.unexpectedExits.length ? [`restarted: ${h.unexpectedExits.join(', ')}`] : [])],
    };
  } finally {
    await h.stop();
  }
}

/** Sends in the background; the scenario injects its fault meanwhile. */
function background(h: Harness, tenants: string[], count: number, rate: number): Promise<void> {
  const sending = h.sendEvents(tenants, count, { rate, name: 'load' });
  sending.catch(() => undefined);
  return sending;
}

const TENANTS = ['acme', 'globex', 'initech', 'umbrella'];

/* 1. kill -9 of a random service, five times, during the load. */
const killServices: Scenario = {
  n: 1,
  title: '1. kill -9 of a random service ×5',
  budgetS: (s) => 120 + (s.events ?? (s.quick ? 1600 : 10_000)) / 50,
  run: (s, deadline) =>
    withHarness(base(s, 's1', deadline), killServices.title, async (h) => {
      for (const t of TENANTS) await h.addEndpoints(t, 1);
      const total = s.events ?? (s.quick ? 1600 : 10_000);
      const rate = 200;
      const sending = background(h, TENANTS, total / TENANTS.length, rate);
      const spanMs = (total / rate) * 1000;
      const recoveries: number[] = [];
      const killed: string[] = [];
      const faults: Array<{ start: number; end: number }> = [];
      for (let k = 0; k < 5; k++) {
        await sleep(spanMs / 6);
        const name = SERVICES[Math.floor(Math.random() * SERVICES.length)] as ServiceName;
        const start = Date.now();
        await h.killAndAwaitRestart(name);
        faults.push({ start, end: Date.now() });
        killed.push(name);
      }
      await sending;
      await h.waitDelivered('all events after the kills');
      for (const f of faults) recoveries.push(recoverySeconds(h.firstReceiptTimes(), f, h.lastExpectedAt()) ?? NaN);
      return { recoverS: Math.max(...recoveries), notes: [`killed ${killed.join(', ')}`, `recovery per kill (s): ${recoveries.join(', ')}`] };
    }),
};

/* 2. kill -9 of the Kafka broker, restarted on the same data and port. */
const killKafka: Scenario = {
  n: 2,
  title: '2. kill -9 of the Kafka broker',
  budgetS: (s) => 240 + (s.events ?? (s.quick ? 2000 : 5000)) / 50,
  run: (s, deadline) =>
    withHarness(base(s, 's2', deadline), killKafka.title, async (h) => {
      for (const t of TENANTS) await h.addEndpoints(t, 1);
      const total = s.events ?? (s.quick ? 2000 : 5000);
      const rate = 200;
      const sending = background(h, TENANTS, total / TENANTS.length, rate);
      await sleep(((total / rate) * 1000) / 3);
      const start = Date.now();
      await s.world.killKafka();
      h.log('broker killed');
      await sleep(s.quick ? 2000 : 5000);
      await s.world.restartKafka();
      const end = Date.now();
      h.log(`broker restarted after ${((end - start) / 1000).toFixed(1)} s`);
      await sending;
      await h.waitDelivered('all events after the broker restart');
      return {
        recoverS: recoverySeconds(h.firstReceiptTimes(), { start, end }, h.lastExpectedAt()),
        notes: [`broker down ${((end - start) / 1000).toFixed(1)} s`],
      };
    }),
};

/* 3. PostgreSQL stopped for 20 s, then started again. */
const stopPostgres: Scenario = {
  n: 3,
  title: '3. PostgreSQL stopped for 20 s',
  budgetS: (s) => 240 + (s.events ?? (s.quick ? 1500 : 5000)) / 50,
  run: (s, deadline) =>
    withHarness(base(s, 's3', deadline), stopPostgres.title, async (h) => {
      for (const t of TENANTS) await h.addEndpoints(t, 1);
      const total = s.events ?? (s.quick ? 1500 : 5000);
      const rate = 100;
      const downMs = s.quick ? 8000 : 20_000;
      const sending = background(h, TENANTS, total / TENANTS.length, rate);
      await sleep(Math.min(5000, ((total / rate) * 1000) / 4));
      const start = Date.now();
      await s.world.stopPostgres();
      h.log('PostgreSQL stopped');
      await sleep(downMs);
      await s.world.restartPostgres();
      const end = Date.now();
      h.log('PostgreSQL started again');
      await sending;
      await h.waitDelivered('all events after PostgreSQL came back');
      return {
        recoverS: recoverySeconds(h.firstReceiptTimes(), { start, end }, h.lastExpectedAt()),
        notes: [`database down ${((end - start) / 1000).toFixed(1)} s`],
      };
    }),
};

/* 4. An endpoint answering 500 for a while, then 200: all delivered, attempts on the retry schedule. */
const SCHEDULE_4 = { full: ['5s', '10s', '20s', '40s', '80s'], quick: ['5s', '5s', '10s', '20s'] };
const failingEndpoint: Scenario = {
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
      const failures = await checkSchedule(h, endpoint!.id, schedule.map(seconds));
      return { recoverS, failures: failures.problems, notes: [`failing ${failMs / 1000} s, HOOKLINE_RETRY_SCHEDULE=${schedule.join(',')}`, ...failures.notes] };
    });
  },
};

const seconds = (d: string) => Number(d.slice(0, -1)) * (d.endsWith('m') ? 60 : 1);

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
const hangingEndpoint: Scenario = {
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

/* 6. 1 % poison messages on the ingestion topic. */
export function poisonMessages(marker: string): Array<{ name: string; value: Buffer | null }> {
  const valid = (over: Record<string, unknown>) => JSON.stringify({ tenantId: 'poison', type: 'invoice.paid', id: marker, data: { key: marker }, ...over });
  const deep = (depth: number) => `{"id":"${marker}","data":${'['.repeat(depth)}${']'.repeat(depth)}}`;
  return [
    { name: 'not JSON', value: Buffer.from(`not json ${marker}`) },
    { name: 'truncated JSON', value: Buffer.from(`{"tenantId":"poison","id":"${marker}","type":`) },
    { name: 'wrong schema: data not an object', value: Buffer.from(valid({ data: `not an object ${marker}` })) },
    { name: 'wrong schema: no type', value: Buffer.from(valid({ type: undefined })) },
    { name: 'NUL in a data string', value: Buffer.from(valid({ data: { key: marker, note: 'a\u0000b' } })) },
    { name: 'NUL in the type', value: Buffer.from(valid({ type: 'invoice.\u0000paid' })) },
    { name: 'out-of-range date (year 0)', value: Buffer.from(valid({ occurredAt: '0000-01-01T00:00:00Z' })) },
    { name: 'out-of-range date (year 275760)', value: Buffer.from(valid({ occurredAt: '+275760-09-13T00:00:00.000Z' })) },
    { name: 'nesting 100,000 deep', value: Buffer.from(deep(100_000)) },
    { name: 'number JSON cannot round-trip', value: Buffer.from(valid({}).replace(`"data":{`, `"data":{"big":1e400,`)) },
    { name: 'invalid UTF-8', value: Buffer.concat([Buffer.from(`{"id":"${marker}","x":"`), Buffer.from([0xff, 0xfe]), Buffer.from('"}')]) },
    { name: 'empty value', value: Buffer.from('') },
  ];
}

const poison: Scenario = {
  n: 6,
  title: '6. 1 % poison on the ingestion topic',
  budgetS: (s) => 180 + (s.events ?? (s.quick ? 1200 : 5000)) / 50,
  run: (s, deadline) =>
    withHarness(base(s, 's6', deadline), poison.title, async (h) => {
      await h.addEndpoints('poison', 2);
      const total = s.events ?? (s.quick ? 1200 : 5000);
      const kafka = new Kafka({ clientId: 'hookline-faults', brokers: [h.stack.brokers], logLevel: logLevel.NOTHING });
      const producer = kafka.producer();
      await producer.connect();
      const topic = new TopicNames(h.stack.prefix).of(EventsIngestedTopic);
      const poisonSent: Array<{ name: string; marker: string; value: Buffer | null }> = [];
      try {
        for (let from = 0; from < total; from += 100) {
          const messages = [];
          for (let i = from; i < Math.min(total, from + 100); i++) {
            if (i % 100 === 50) {
              const marker = `poison_${h.opts.tag}_${i}`;
              const kinds = poisonMessages(marker);
              const p = kinds[((i / 100) % kinds.length) | 0]!;
              poisonSent.push({ ...p, marker });
              messages.push({ key: 'poison', value: p.value });
            } else {
              const event = h.event('poison', 'load', i, Date.now());
              h.expect(event);
              messages.push({ key: 'poison', value: JSON.stringify(event) });
            }
          }
          await producer.send({ topic, messages });
          await sleep(100);
        }
      } finally {
        await producer.disconnect();
      }
      await h.waitDelivered('every good event behind the poison');
      const letters = await readDeadLetters(kafka, new TopicNames(h.stack.prefix).of(EventsDeadLetteredTopic), poisonSent.length, deadline);
      const missing = poisonSent.filter(
        (p) => !letters.some((l) => l.reason && (p.value?.length ? l.value !== null && sameBytes(l.value, p.value) : l.value === '' || l.value === null)),
      );
      const failures = missing.length
        ? [`${missing.length} of ${poisonSent.length} poison messages not dead-lettered with a reason: ${[...new Set(missing.map((m) => m.name))].join('; ')}`]
        : [];
      return { recoverS: null, failures, sent: total, notes: [`${poisonSent.length} poison messages, ${letters.length} dead letters`] };
    }),
};

function sameBytes(deadValue: string, original: Buffer): boolean {
  return deadValue === original.toString('utf8') || deadValue === original.toString('base64');
}

async function readDeadLetters(kafka: Kafka, topic: string, want: number, deadline: number): Promise<Array<{ reason?: string; value: string | null }>> {
  const consumer = kafka.consumer({ groupId: `faults-reader-${Date.now()}` });
  const letters: Array<{ reason?: string; value: string | null }> = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        try {
          letters.push(JSON.parse(message.value?.toString() ?? '{}') as { reason?: string; value: string | null });
        } catch {
          letters.push({ value: null });
        }
      },
    });
    const until = Math.min(deadline, Date.now() + 20_000);
    while (letters.length < want && Date.now() < until) await sleep(200);
    await sleep(1000);
    return letters;
  } finally {
    await consumer.disconnect();
  }
}

/* 7. A soak at a steady rate, RSS sampled per process. */
const soak: Scenario = {
  n: 7,
  title: '7. soak at a steady rate',
  budgetS: (s) => (s.soakS ?? (s.quick ? 60 : 600)) + 180,
  run: (s, deadline) =>
    withHarness(base(s, 's7', deadline), soak.title, async (h) => {
      for (const t of TENANTS) await h.addEndpoints(t, 1);
      const durationS = s.soakS ?? (s.quick ? 60 : 600);
      const rate = s.events ? Math.max(1, Math.round(s.events / durationS)) : 100;
      const windowS = Math.min(60, durationS / 5);
      const samples: Array<{ at: number; rss: Record<string, number> }> = [];
      const started = Date.now();
      const sampler = setInterval(() => samples.push({ at: Date.now() - started, rss: rssNow(h, s.world) }), 5000);
      try {
        await h.sendEvents(TENANTS, (rate * durationS) / TENANTS.length, { rate, name: 'load', batch: Math.max(1, rate / 5) });
      } finally {
        clearInterval(sampler);
      }
      samples.push({ at: Date.now() - started, rss: rssNow(h, s.world) });
      await h.waitDelivered('all soak events');
      const end = Date.now() - started;
      const mean = (name: string, from: number, to: number) => {
        const v = samples.filter((x) => x.at >= from && x.at <= to && x.rss[name] !== undefined).map((x) => x.rss[name]!);
        return v.length ? Math.round((v.reduce((a, b) => a + b, 0) / v.length / 2 ** 20) * 10) / 10 : NaN;
      };
      const names = Object.keys(samples[0]?.rss ?? {});
      const rss = names.map((name) => ({ name, firstMiB: mean(name, 0, windowS * 1000), lastMiB: mean(name, end - windowS * 1000, end) }));
      return { recoverS: null, rss, notes: [`${rate} events/s for ${durationS} s; RSS every 5 s, mean of the first vs the last ${windowS} s`] };
    }),
};

/** Resident memory (bytes) of each service, the broker and all PostgreSQL processes, from /proc. */
function rssNow(h: Harness, world: World): Record<string, number> {
  const out: Record<string, number> = {};
  for (const name of SERVICES) {
    const pid = h.stack.processOf(name)?.pid;
    if (pid) out[name] = rssOf(pid) ?? NaN;
  }
  out.kafka = rssOf(world.kafka.pid) ?? NaN;
  out.postgresql = [world.postgres.pid, ...childrenOf(world.postgres.pid)].reduce((n, pid) => n + (rssOf(pid) ?? 0), 0);
  return out;
}

function rssOf(pid: number): number | undefined {
  try {
    const m = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

function childrenOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

export const SCENARIOS: Scenario[] = [killServices, killKafka, stopPostgres, failingEndpoint, hangingEndpoint, poison, soak];

/** Runs one scenario within its budget: past it, the row says FAIL and why; it never hangs the suite. */
export async function runScenario(scenario: Scenario, s: ScenarioSettings): Promise<Row> {
  const budgetMs = scenario.budgetS(s) * 1000;
  const deadline = Date.now() + budgetMs;
  await s.world.ensureUp();
  let timer: NodeJS.Timeout | undefined;
  // The scenario checks the deadline itself; this is the backstop for a step that does not return at all.
  const backstop = new Promise<Row>((resolve) => {
    timer = setTimeout(
      () =>
        resolve({
          scenario: scenario.title,
          sent: 0,
          delivered: 0,
          lost: 0,
          repeatedSameId: 0,
          repeatedDifferentId: 0,
          invalidSignatures: 0,
          notInLog: 0,
          recoverS: null,
          pass: false,
          notes: [`FAILED: did not finish within ${Math.round(budgetMs / 1000) + 120} s`],
        }),
      budgetMs + 120_000,
    );
  });
  try {
    return await Promise.race([scenario.run(s, deadline), backstop]);
  } finally {
    clearTimeout(timer);
  }
}
