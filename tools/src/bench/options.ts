import { integerFlag, parseFlags } from '../flags';

export const HELP = `usage: npm run bench -- [options]
  --events N       events through the pipeline, and signed POSTs in the raw run (default 20000)
  --endpoints K    endpoints, one tenant each; event i goes to endpoint i mod K (default 4)
  --rate R         send R events/s (open loop) instead of as fast as ingest accepts them (default 0 = as fast as possible)
  --batch B        events per POST /v1/events/batch, at most 500 (default 500, or about R/20 with --rate)
  --parallel P     batch POSTs in flight at once (default 4)
  --warmup W       warm-up events before the measured run (default min(2000, N/10))
  --stall-s S      fail when no delivery arrives for S seconds (default 60)
  --max-s S        fail when the whole run takes longer than S seconds (default 900)
  --profile        CPU-profile every service during the pipeline phase (V8 inspector); prints where each one
                   spends its time and keeps the .cpuprofile files (profiling slows the services: do not quote its numbers)
  --keep           keep the temporary folder (service logs, Kafka and PostgreSQL data) / the database and topics
  --json FILE      also write the results as JSON to FILE
Environment: KAFKA_BROKERS, DATABASE_URL (use existing servers); HOOKLINE_*, DISPATCHER_*, RETRY_SCHEDULER_*,
LOG_LEVEL, DATABASE_POOL_SIZE are passed to the services.`;

/** A failure of the run that the bench explains itself: printed without a stack trace. */
export class BenchError extends Error {}

export interface BenchOptions {
  events: number;
  endpoints: number;
  rate: number;
  batch: number;
  parallel: number;
  warmup: number;
  stallS: number;
  maxS: number;
  keep: boolean;
  profile: boolean;
  json: string | undefined;
}

/** The options, or null when --help asked for the usage. A bad option is a UsageError naming it and its rule. */
export function parseOptions(args: string[]): BenchOptions | null {
  const values = parseFlags(args, {
    events: { type: 'string', default: '20000' },
    endpoints: { type: 'string', default: '4' },
    rate: { type: 'string', default: '0' },
    batch: { type: 'string' },
    parallel: { type: 'string', default: '4' },
    warmup: { type: 'string' },
    'stall-s': { type: 'string', default: '60' },
    'max-s': { type: 'string', default: '900' },
    profile: { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
    json: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) return null;
  const events = integerFlag(values.events, 'events', 1, 10_000_000);
  const rate = integerFlag(values.rate, 'rate', 0, 1_000_000);
  return {
    events,
    endpoints: integerFlag(values.endpoints, 'endpoints', 1, 1000),
    rate,
    batch: values.batch === undefined ? (rate ? Math.max(1, Math.min(500, Math.round(rate / 20))) : 500) : integerFlag(values.batch, 'batch', 1, 500),
    parallel: integerFlag(values.parallel, 'parallel', 1, 64),
    warmup: values.warmup === undefined ? Math.min(2000, Math.floor(events / 10)) : integerFlag(values.warmup, 'warmup', 0, 1_000_000),
    stallS: integerFlag(values['stall-s'], 'stall-s', 5, 3600),
    maxS: integerFlag(values['max-s'], 'max-s', 30, 86_400),
    keep: values.keep,
    profile: values.profile,
    json: values.json,
  };
}
