import { chmodSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type KafkaServer, startKafka } from './kafka';
import { type PostgresServer, startPostgres } from './postgres';
import { type Log, noopLog } from './process';
import { redactUrl } from './urls';

export interface StartInfraOptions {
  /**
   * Kafka keeps its data in `<dataDir>/kafka`, PostgreSQL in
   * `<dataDir>/postgres`; a later start on the same folder keeps topics and
   * databases. Default: a new temporary folder, removed by stop().
   */
  dataDir?: string;
  /** Ports to use when free (npm start: `{ kafka: 9092, postgres: 5432 }`); otherwise, and by default, free ports. */
  preferredPorts?: { kafka?: number; postgres?: number };
  /** PostgreSQL server settings (`-c name=value`), e.g. `{ max_connections: 200 }`. */
  postgresSettings?: Record<string, string | number | boolean>;
  /** Use the servers KAFKA_BROKERS and DATABASE_URL name, where set, instead of starting them. Default false. */
  useEnvironment?: boolean;
  /** Progress: `kafka: …` and `postgres: …` from the servers, and which ports and servers are used. */
  log?: Log;
  /**
   * Which servers are wanted (default both): the medium test tier needs only
   * PostgreSQL, and a run that already has one only Kafka. A server not
   * wanted is neither started nor taken from the environment; its address is ''.
   */
  servers?: { kafka?: boolean; postgres?: boolean };
}

export interface Infra {
  /** Bootstrap servers, `host:port,…` ('' when Kafka was not wanted). */
  brokers: string;
  /** The started server's default database (`…/postgres`), or DATABASE_URL as given ('' when PostgreSQL was not wanted). */
  databaseUrl: string;
  /** Absolute path of the data folder (for a temporary one, removed by stop()). */
  dataDir: string;
  /** The broker this call started; undefined when KAFKA_BROKERS named one. */
  kafka?: KafkaServer;
  /** The server this call started; undefined when DATABASE_URL named one. */
  postgres?: PostgresServer;
  /** Stops what this call started, both at once. Idempotent. */
  stop(): Promise<void>;
}

/** The servers the environment names, checked so that a typo fails here, by name, rather than as a connection error later. */
export function infraFromEnvironment(env: NodeJS.ProcessEnv = process.env): { brokers?: string; databaseUrl?: string } {
  const brokers = env.KAFKA_BROKERS?.trim() || undefined;
  if (brokers !== undefined) {
    const valid = brokers.split(',').every((entry) => {
      const m = /^(\S+):(\d{1,5})$/.exec(entry.trim());
      return m !== null && Number(m[2]) >= 1 && Number(m[2]) <= 65_535;
    });
    if (!valid) throw new Error('KAFKA_BROKERS must be a comma-separated list of host:port (port 1-65535), e.g. 127.0.0.1:9092');
  }
  const databaseUrl = env.DATABASE_URL?.trim() || undefined;
  if (databaseUrl !== undefined) {
    let protocol = '';
    try {
      protocol = new URL(databaseUrl).protocol;
    } catch {
      /* reported below */
    }
    // The value is never echoed: it may hold a password.
    if (protocol !== 'postgres:' && protocol !== 'postgresql:') {
      throw new Error('DATABASE_URL must be a postgres:// URL, e.g. postgres://user:password@127.0.0.1:5432/hookline');
    }
  }
  return { brokers, databaseUrl };
}

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

/**
 * Kafka and PostgreSQL for `npm start`, the Jest global setup and the bench:
 * each started in its own folder on ports no other Hookline process on this
 * machine uses at the same time (see ports.ts), unless `useEnvironment` and
 * KAFKA_BROKERS / DATABASE_URL name existing servers. When one fails to start,
 * the other is stopped before the error is thrown.
 */
export async function startInfra(opts: StartInfraOptions = {}): Promise<Infra> {
  const log = opts.log ?? noopLog;
  const external = opts.useEnvironment ? infraFromEnvironment() : {};
  const wantKafka = opts.servers?.kafka ?? true;
  const wantPostgres = opts.servers?.postgres ?? true;
  const temporary = opts.dataDir === undefined;
  const dataDir = temporary ? mkdtempSync(join(tmpdir(), 'hookline-infra-')) : resolve(opts.dataDir as string);
  mkdirSync(dataDir, { recursive: true });
  // As root, PostgreSQL runs as an unprivileged account, which must be able to enter this folder (mkdtemp makes it 0700).
  if (isRoot() && wantPostgres && !external.databaseUrl) chmodSync(dataDir, 0o755);

  let kafka: KafkaServer | undefined;
  let postgres: PostgresServer | undefined;
  const starts: Array<Promise<unknown>> = [];
  if (!wantKafka) log('Kafka: not needed');
  else if (external.brokers) log(`Kafka: using KAFKA_BROKERS=${external.brokers}`);
  else starts.push(startKafka({ dataDir: join(dataDir, 'kafka'), preferredPort: opts.preferredPorts?.kafka, log }).then((server) => (kafka = server)));
  if (!wantPostgres) log('PostgreSQL: not needed');
  else if (external.databaseUrl) log(`PostgreSQL: using DATABASE_URL (${redactUrl(external.databaseUrl)})`);
  else {
    starts.push(
      startPostgres({ dataDir: join(dataDir, 'postgres'), preferredPort: opts.preferredPorts?.postgres, settings: opts.postgresSettings, log }).then(
        (server) => (postgres = server),
      ),
    );
  }

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      const results = await Promise.allSettled([kafka?.stop(), postgres?.stop()]);
      if (temporary) rmSync(dataDir, { recursive: true, force: true });
      const problems = results.flatMap((r, i) =>
        r.status === 'rejected' ? [`stopping ${i === 0 ? 'Kafka' : 'PostgreSQL'}: ${(r.reason as Error).message}`] : [],
      );
      if (problems.length) throw new Error(problems.join('; '));
    })());

  const failures = (await Promise.allSettled(starts)).flatMap((r) => (r.status === 'rejected' ? [r.reason as Error] : []));
  if (failures.length) {
    await stop().catch((error: Error) => log(error.message));
    if (failures.length > 1) failures[0].message += `\n(and: ${failures[1].message})`;
    throw failures[0];
  }
  return {
    brokers: wantKafka ? (external.brokers ?? (kafka as KafkaServer).brokers) : '',
    databaseUrl: wantPostgres ? (external.databaseUrl ?? (postgres as PostgresServer).url) : '',
    dataDir,
    kafka,
    postgres,
    stop,
  };
}
