import { Harness, type HarnessOptions, sleep } from './harness';
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

export const base = (s: ScenarioSettings, tag: string, deadline: number, env: Record<string, string> = {}): HarnessOptions => ({
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
export async function withHarness(
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
export function background(h: Harness, tenants: string[], count: number, rate: number): Promise<void> {
  const sending = h.sendEvents(tenants, count, { rate, name: 'load' });
  sending.catch(() => undefined);
  return sending;
}

export const TENANTS = ['acme', 'globex', 'initech', 'umbrella'];

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
