import { integerFlag, parseFlags, UsageError } from '../flags';

export const HELP = `usage: npm run faults -- [options]
  --only LIST      scenarios to run, comma-separated numbers (default 1,2,3,4,5,6,7)
                     1 kill -9 of a random service five times during the load
                     2 kill -9 of the Kafka broker, restarted on the same data and port
                     3 PostgreSQL stopped for 20 s and started again
                     4 an endpoint answering 500 for 60 s, then 200 (attempt times against the retry schedule)
                     5 one endpoint hanging for 30 s beside nine healthy ones (healthy p99 against a run without it)
                     6 1 % poison messages produced straight onto the ingestion topic
                     7 a 10-minute soak at a steady rate, RSS sampled per process
  --quick          smaller counts, shorter outages and a 60 s soak (what npm test runs)
  --events N       events of scenarios 1, 2, 3 and 6, and of the whole soak (defaults 10000, 5000, 5000, 5000; 100/s in the soak)
  --soak-s S       soak duration in seconds (default 600, --quick 60)
  --rate R         events/s of scenario 5, each to all ten endpoints (default 40, --quick 20; 200 overloads
                     a 2-core machine: then the check that matters is that every healthy delivery arrives)
  --keep           keep the temporary folder (service logs, Kafka and PostgreSQL data)
  --json FILE      also write the rows as JSON to FILE
It starts its own Kafka and PostgreSQL in a temporary folder (KAFKA_BROKERS / DATABASE_URL are not used:
the suite kills and restarts them) and a fresh stack of the six services per scenario. Exit code 1 when a scenario fails.`;

export interface FaultOptions {
  only: number[];
  quick: boolean;
  events?: number;
  soakS?: number;
  rate?: number;
  keep: boolean;
  json?: string;
}

/** The options, or null when --help asked for the usage. A bad option is a UsageError naming it and its rule. */
export function parseOptions(args: string[]): FaultOptions | null {
  const values = parseFlags(args, {
    only: { type: 'string', default: '1,2,3,4,5,6,7' },
    quick: { type: 'boolean', default: false },
    events: { type: 'string' },
    'soak-s': { type: 'string' },
    rate: { type: 'string' },
    keep: { type: 'boolean', default: false },
    json: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) return null;
  const only = values.only.split(',').map((n) => {
    if (!/^[1-7]$/.test(n.trim())) throw new UsageError('--only must list scenario numbers from 1 to 7, comma-separated, e.g. 1,3');
    return Number(n);
  });
  return {
    only: [...new Set(only)].sort(),
    quick: values.quick,
    events: values.events === undefined ? undefined : integerFlag(values.events, 'events', 100, 1_000_000),
    soakS: values['soak-s'] === undefined ? undefined : integerFlag(values['soak-s'], 'soak-s', 10, 86_400),
    rate: values.rate === undefined ? undefined : integerFlag(values.rate, 'rate', 1, 1_000),
    keep: values.keep,
    json: values.json,
  };
}
