import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { findRepoRoot, freePort, releasePort, supervise, waitFor, withDatabase, type Supervised } from '@hookline/infra';

export const SERVICES = ['admin-api', 'ingest', 'rules-engine', 'dispatcher', 'retry-scheduler', 'log-store'] as const;
export type ServiceName = (typeof SERVICES)[number];

/** The environment variable that sets each service's HTTP port. */
export const PORT_VARS: Record<ServiceName, string> = {
  'admin-api': 'ADMIN_API_PORT',
  ingest: 'INGEST_PORT',
  'rules-engine': 'RULES_ENGINE_PORT',
  dispatcher: 'DISPATCHER_PORT',
  'retry-scheduler': 'RETRY_SCHEDULER_PORT',
  'log-store': 'LOG_STORE_PORT',
};

export const DEFAULT_PORTS: Record<ServiceName, number> = {
  'admin-api': 3000,
  ingest: 3001,
  'rules-engine': 3002,
  dispatcher: 3003,
  'retry-scheduler': 3004,
  'log-store': 3005,
};

/** Settings a user sets in the shell for the services (as in the README's configuration table). */
const SERVICE_SETTING = /^(HOOKLINE_|DISPATCHER_|RETRY_SCHEDULER_|LOG_STORE_|OTEL_)|^(LOG_LEVEL|DATABASE_POOL_SIZE|HOST)$/;

/** The service settings in `env` (HOOKLINE_*, DISPATCHER_*, OTEL_*, LOG_LEVEL, HOST, …), minus `omit`, to hand to every service. */
export function passThroughEnv(omit: readonly string[] = [], env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) if (value !== undefined && SERVICE_SETTING.test(key) && !omit.includes(key)) out[key] = value;
  return out;
}

export interface StackOptions {
  /** Bootstrap servers of the broker the services use. */
  brokers: string;
  /** A PostgreSQL URL whose user may create databases. */
  databaseUrl: string;
  /** Database to use on that server, created if missing. Default: a fresh one per stack. */
  database?: string;
  /** Topic prefix. Default: a fresh one per stack, so stacks on one broker never meet. */
  topicPrefix?: string;
  /** Fixed ports; services without one get a free port. */
  ports?: Partial<Record<ServiceName, number>>;
  token?: string;
  /** HOOKLINE_MASTER_KEY (base64 of 32 bytes). Default: a fresh random key. */
  masterKey?: string;
  /** Where each service's log goes (`<service>.log`). Default: a temporary folder. */
  logDir?: string;
  /** Extra environment for every service (e.g. HOOKLINE_RETRY_SCHEDULE). */
  env?: Record<string, string>;
}

/**
 * All six services as real processes (the built `dist/main.js` of each), on
 * the run's broker and database, with a fresh database and topic prefix of
 * their own. Services can be killed (-9) and restarted mid-test.
 */
export class Stack {
  readonly token: string;
  readonly masterKey: string;
  readonly prefix: string;
  readonly logDir: string;
  readonly ports = {} as Record<ServiceName, number>;
  private readonly processes = new Map<ServiceName, Supervised>();
  private readonly root = findRepoRoot();
  private env: Record<string, string> = {};

  constructor(private readonly options: StackOptions) {
    this.token = options.token ?? `admin-token-${randomBytes(12).toString('hex')}`;
    this.masterKey = options.masterKey ?? randomBytes(32).toString('base64');
    this.prefix = options.topicPrefix ?? `t${randomBytes(4).toString('hex')}.`;
    this.logDir = options.logDir ?? mkdtempSync(join(tmpdir(), 'hookline-stack-'));
    mkdirSync(this.logDir, { recursive: true });
  }

  get brokers(): string {
    return this.options.brokers;
  }

  /** The stack's own database (set once started). */
  get databaseUrl(): string {
    return this.env.DATABASE_URL;
  }

  url(service: ServiceName): string {
    return `http://127.0.0.1:${this.ports[service]}`;
  }

  async start(): Promise<this> {
    const databaseUrl = await ensureDatabase(this.options.databaseUrl, this.options.database ?? `hookline_${this.prefix.replace(/[^a-z0-9]/g, '') || 'main'}`);
    this.env = {
      KAFKA_BROKERS: this.brokers,
      DATABASE_URL: databaseUrl,
      HOOKLINE_TOPIC_PREFIX: this.prefix,
      HOOKLINE_ADMIN_TOKEN: this.token,
      HOOKLINE_MASTER_KEY: this.masterKey,
      LOG_LEVEL: 'info',
      ...this.options.env,
    };
    // Reserved ports: no Hookline process (this one included) hands them out again, so no two services share
    // one. Below the ephemeral range, only a foreign program's explicit bind in the few seconds before a
    // service listens could take one: too unlikely to retry for (Kafka and PostgreSQL, slower to start, do).
    for (const name of SERVICES) this.ports[name] = this.options.ports?.[name] ?? (await freePort());
    // admin-api first: it creates the topics; the others then start in parallel.
    await this.startService('admin-api');
    await Promise.all(SERVICES.filter((s) => s !== 'admin-api').map((s) => this.startService(s)));
    return this;
  }

  /** Starts (or restarts) one service; `env` overrides the stack's environment for this process only. */
  async startService(name: ServiceName, env: Record<string, string> = {}): Promise<void> {
    const proc = await supervise({
      name,
      command: process.execPath,
      args: [join(this.root, 'apps', name, 'dist', 'main.js')],
      logFile: this.logFile(name),
      cwd: this.root,
      env: { PATH: process.env.PATH ?? '', ...this.env, ...env, [PORT_VARS[name]]: String(this.ports[name]) },
      stopSignal: 'SIGTERM',
      graceMs: 40_000,
      log: () => undefined,
    });
    this.processes.set(name, proc);
    const exited = new AbortController();
    void proc.exited.then(() => exited.abort(new Error(`${name} exited during start`)));
    try {
      await waitFor(
        async () => {
          const res = await fetch(`${this.url(name)}/health/ready`).catch(() => null);
          return res?.ok ? true : undefined;
        },
        { timeoutMs: 60_000, intervalMs: 200, description: `${name} ready`, signal: exited.signal },
      );
    } catch (error) {
      throw new Error(`${(error as Error).message}\n--- ${name} log ---\n${this.logTail(name)}`);
    }
  }

  /** The running process of a service (pid, `exited`), or undefined when it is not running. */
  processOf(name: ServiceName): Supervised | undefined {
    return this.processes.get(name);
  }

  /** `kill -9` of a service's process. */
  async kill(name: ServiceName): Promise<void> {
    const proc = this.processes.get(name);
    if (!proc) return;
    process.kill(proc.pid, 'SIGKILL');
    await proc.exited;
    this.processes.delete(name);
  }

  async stopService(name: ServiceName): Promise<number | undefined> {
    const code = await this.processes.get(name)?.stop();
    this.processes.delete(name);
    return code;
  }

  async stop(): Promise<void> {
    await Promise.all([...this.processes.keys()].map((name) => this.stopService(name)));
    for (const name of SERVICES) if (this.options.ports?.[name] === undefined && this.ports[name]) releasePort(this.ports[name]);
  }

  logFile(name: ServiceName): string {
    return join(this.logDir, `${name}.log`);
  }

  logTail(name: ServiceName, lines = 40): string {
    try {
      return readFileSync(this.logFile(name), 'utf8').split('\n').slice(-lines).join('\n');
    } catch {
      return '(no log)';
    }
  }

  /** Calls a service's HTTP API, with the admin token unless `options.token` names another key. */
  async api<T = unknown>(
    service: ServiceName,
    method: string,
    path: string,
    body?: unknown,
    options: { token?: string; headers?: Record<string, string> } = {},
  ): Promise<{ status: number; body: T; headers: Headers }> {
    const res = await fetch(`${this.url(service)}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${options.token ?? this.token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...options.headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T, headers: res.headers };
  }
}

/** Creates the database unless it exists; returns its URL. */
async function ensureDatabase(serverUrl: string, name: string): Promise<string> {
  const client = new Client({ connectionString: serverUrl });
  await client.connect();
  try {
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (exists.rowCount === 0) await client.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
  } finally {
    await client.end();
  }
  return withDatabase(serverUrl, name);
}
