import { SCHEMA_MODES, type SchemaMode } from '@hookline/contracts';
import { integerFlag, parseFlags, UsageError } from '../flags';

export const MODES = ['single', 'batch', 'kafka'] as const;
export type Mode = (typeof MODES)[number];

export const HELP = `usage: npm run bench -- [options]
  With no --mode, --rate or --duration: the standard set on one started stack, raw measured before and after it:
    single-event POSTs with 32 in flight (N events), batch API (N), Kafka-native (N),
    single-event POSTs at 800 events/s for 30 s, and at 200 events/s for 30 s.
  --mode M         one scenario only: single (one event per POST /v1/events), batch (POST /v1/events/batch),
                   kafka (produced straight onto the ingestion topic, as a customer's Kafka producer would)
  --concurrency C  requests (single) or produce calls (kafka) in flight (default 32 for single, 4 for kafka)
  --rate R         send R events/s, open loop, in any mode (default: as fast as Hookline accepts them);
                   with no --mode it means --mode single
  --duration S     with --rate: send for S seconds (events = R × S; e.g. --rate 200 --duration 600 for a soak);
                   with the standard set: the length of its two steady-rate scenarios (default 30)
  --events N       events per as-fast-as-possible scenario (default 20000); raw sends N signed POSTs
  --endpoints K    endpoints, one tenant each; event i goes to endpoint i mod K (default 4)
  --batch B        events per POST /v1/events/batch or per produce call (kafka), at most 500 (default 500, or about R/20 with --rate)
  --parallel P     batch POSTs in flight at once (default 4)
  --warmup W       warm-up events before the measured scenarios (default min(2000, N/10))
  --stall-s S      fail when no delivery arrives for S seconds (default 60)
  --max-s S        fail when the whole run takes longer than S seconds (default 900, or the soak's length + 600)
  --profile        CPU-profile every service during the scenarios (V8 inspector); prints where each one
                   spends its time and keeps the .cpuprofile files (profiling slows the services: do not quote its numbers)
  --schema-mode M  set each bench tenant's schema mode of invoice.paid to M (off, warn, enforce) and send
                   the built-in example as data (to measure schema checking: run enforce next to off)
  --rules N        give each bench tenant N rules on its events whose conditions never match, and its endpoint
                   a filter every event matches (to measure rule and filter evaluation: run it next to one without)
  --keep           keep the temporary folder (service logs, Kafka and PostgreSQL data) / the database and topics
  --json FILE      also write the results as JSON to FILE (every run writes .bench/<time>.json too)
Environment: KAFKA_BROKERS, DATABASE_URL (use existing servers); HOOKLINE_*, DISPATCHER_*, RETRY_SCHEDULER_*,
LOG_LEVEL, DATABASE_POOL_SIZE are passed to the services.`;

/** A failure of the run that the bench explains itself: printed without a stack trace. */
export class BenchError extends Error {}

/** One measured load: how events enter Hookline, how many, and how fast. */
export interface Scenario {
  /** Short and stable, for tables and JSON: `single-c32`, `batch`, `kafka`, `single-800/s`. */
  name: string;
  mode: Mode;
  events: number;
  /** Events/s offered (open loop), or 0 for as fast as Hookline accepts them (closed loop). */
  rate: number;
  /** Events per request or produce call. */
  batch: number;
  /** Requests or produce calls in flight (closed loop). */
  concurrency: number;
}

export interface BenchOptions {
  scenarios: Scenario[];
  /** The as-fast-as-possible event count, which the raw runs send. */
  events: number;
  endpoints: number;
  warmup: number;
  stallS: number;
  maxS: number;
  keep: boolean;
  profile: boolean;
  json: string | undefined;
  /** The tenants' schema mode of the bench's event type, whose built-in example is then the data; undefined: no catalog setting, the bench's own data. */
  schemaMode: SchemaMode | undefined;
  /** Rules per tenant that every event is checked against and none matches, with a filter on each endpoint that every event matches; 0: none. */
  rules: number;
}

const STANDARD_RATES = [800, 200];
export const DEFAULT_SINGLE_CONCURRENCY = 32;

/** The batch for a rate: about 20 requests a second, so an open-loop batch run is not one burst a second. */
const batchFor = (rate: number) => (rate ? Math.max(1, Math.min(500, Math.round(rate / 20))) : 500);

function scenario(mode: Mode, events: number, rate: number, batch: number | undefined, concurrency: number | undefined, parallel: number): Scenario {
  const name = `${mode}${rate ? `-${rate}/s` : mode === 'single' ? `-c${concurrency ?? DEFAULT_SINGLE_CONCURRENCY}` : ''}`;
  if (mode === 'single') return { name, mode, events, rate, batch: 1, concurrency: concurrency ?? DEFAULT_SINGLE_CONCURRENCY };
  return { name, mode, events, rate, batch: batch ?? batchFor(rate), concurrency: mode === 'batch' ? parallel : (concurrency ?? parallel) };
}

/** The options, or null when --help asked for the usage. A bad option is a UsageError naming it and its rule. */
export function parseOptions(args: string[]): BenchOptions | null {
  const values = parseFlags(args, {
    mode: { type: 'string' },
    concurrency: { type: 'string' },
    rate: { type: 'string' },
    duration: { type: 'string' },
    events: { type: 'string', default: '20000' },
    endpoints: { type: 'string', default: '4' },
    batch: { type: 'string' },
    parallel: { type: 'string', default: '4' },
    warmup: { type: 'string' },
    'stall-s': { type: 'string', default: '60' },
    'max-s': { type: 'string' },
    profile: { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
    json: { type: 'string' },
    'schema-mode': { type: 'string' },
    rules: { type: 'string', default: '0' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) return null;
  const schemaMode = values['schema-mode'];
  if (schemaMode !== undefined && !(SCHEMA_MODES as readonly string[]).includes(schemaMode))
    throw new UsageError(`--schema-mode must be one of ${SCHEMA_MODES.join(', ')} (got '${schemaMode}')`);
  if (values.mode !== undefined && !(MODES as readonly string[]).includes(values.mode))
    throw new UsageError(`--mode must be one of ${MODES.join(', ')} (got '${values.mode}')`);
  const events = integerFlag(values.events, 'events', 1, 10_000_000);
  const rate = values.rate === undefined ? 0 : integerFlag(values.rate, 'rate', 1, 1_000_000);
  const duration = values.duration === undefined ? undefined : integerFlag(values.duration, 'duration', 1, 86_400);
  const concurrency = values.concurrency === undefined ? undefined : integerFlag(values.concurrency, 'concurrency', 1, 1024);
  const batch = values.batch === undefined ? undefined : integerFlag(values.batch, 'batch', 1, 500);
  const parallel = integerFlag(values.parallel, 'parallel', 1, 64);
  const oneScenario = values.mode !== undefined || rate > 0;
  if (duration !== undefined && oneScenario && !rate) throw new UsageError('--duration needs --rate (a soak is a steady rate for S seconds)');
  if (concurrency !== undefined && rate)
    throw new UsageError('--concurrency applies to as-fast-as-possible runs; with --rate the sender keeps the rate instead');
  if (concurrency !== undefined && values.mode === 'batch')
    throw new UsageError('--concurrency does not apply to --mode batch; --parallel sets its POSTs in flight');

  let scenarios: Scenario[];
  if (oneScenario) {
    const mode = (values.mode ?? 'single') as Mode;
    scenarios = [scenario(mode, rate && duration ? rate * duration : events, rate, batch, concurrency, parallel)];
  } else {
    const seconds = duration ?? 30;
    scenarios = [
      scenario('single', events, 0, undefined, concurrency, parallel),
      scenario('batch', events, 0, batch, undefined, parallel),
      scenario('kafka', events, 0, batch, undefined, parallel),
      ...STANDARD_RATES.map((r) => scenario('single', r * seconds, r, undefined, undefined, parallel)),
    ];
  }
  const longest = Math.max(...scenarios.map((s) => (s.rate ? s.events / s.rate : 0)));
  return {
    scenarios,
    events,
    endpoints: integerFlag(values.endpoints, 'endpoints', 1, 1000),
    warmup: values.warmup === undefined ? Math.min(2000, Math.floor(events / 10)) : integerFlag(values.warmup, 'warmup', 0, 1_000_000),
    stallS: integerFlag(values['stall-s'], 'stall-s', 5, 3600),
    maxS: values['max-s'] === undefined ? Math.max(900, Math.ceil(longest) + 600) : integerFlag(values['max-s'], 'max-s', 30, 172_800),
    keep: values.keep,
    profile: values.profile,
    json: values.json,
    schemaMode: schemaMode as SchemaMode | undefined,
    rules: integerFlag(values.rules, 'rules', 0, 1000),
  };
}

/** Whether a run is the standard set (its figures go into the Releases table). */
export const isStandardSet = (o: BenchOptions) => o.scenarios.length > 1;
