import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { findRepoRoot, freePort, releasePort, supervise, waitFor, withDatabase, type Supervised } from '@hookline/infra';
import { serviceNodeOptions } from './node-options';
import { RestartPolicy, type RestartPolicyOptions } from './restart-policy';

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

/** Instance i of a service with a fixed port listens on that port + PORT_STRIDE × i (admin-api 3000, 3010, 3020, …). */
export const PORT_STRIDE = 10;

/** How many processes of each service: one number for every service, or per service (the rest run one). */
export type Instances = number | Partial<Record<ServiceName, number>>;

/** The instance count of each service; fails naming the service when a count is not a whole number from 1 to 9 (PORT_STRIDE keeps 10 ports apart). */
export function instanceCounts(instances: Instances = 1): Record<ServiceName, number> {
  const counts = {} as Record<ServiceName, number>;
  for (const name of SERVICES) {
    const n = typeof instances === 'number' ? instances : (instances[name] ?? 1);
    if (!Number.isInteger(n) || n < 1 || n >= PORT_STRIDE)
      throw new RangeError(`instances of ${name} must be a whole number from 1 to ${PORT_STRIDE - 1} (got ${n})`);
    counts[name] = n;
  }
  return counts;
}

/** What the stack's supervision did: a process exited on its own, came back, or was left down. */
export type SupervisionEvent =
  | { type: 'exited'; service: ServiceName; instance: number; code: number; restartInMs: number; crashes: number }
  | { type: 'restarted'; service: ServiceName; instance: number; pid: number }
  | { type: 'restart-failed'; service: ServiceName; instance: number; error: Error }
  | { type: 'gave-up'; service: ServiceName; instance: number; code: number; crashes: number; windowMs: number };

export interface RestartOptions extends RestartPolicyOptions {
  /** Told of every exit, restart and give-up (npm start prints them). */
  onEvent?: (event: SupervisionEvent) => void;
}

/** One service process as `stop()` left it. */
export interface StopResult {
  service: ServiceName;
  instance: number;
  /** The exit code (or 128 + signal); undefined when the stop failed. */
  code?: number;
  error?: string;
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
  /** Fixed ports of instance 0 (instance i: + PORT_STRIDE × i); services without one get free ports. */
  ports?: Partial<Record<ServiceName, number>>;
  token?: string;
  /** HOOKLINE_MASTER_KEY (base64 of 32 bytes). Default: a fresh random key. */
  masterKey?: string;
  /** Where each service's log goes (`<service>.log`, `<service>.<i>.log` for instance i ≥ 1). Default: a temporary folder. */
  logDir?: string;
  /** Extra environment for every service (e.g. HOOKLINE_RETRY_SCHEDULE). */
  env?: Record<string, string>;
  /** Processes per service; instances of a consumer share its consumer groups. Default 1. */
  instances?: Instances;
  /**
   * Start again a process that exits on its own (or by `kill()`), with backoff,
   * giving up after repeated crashes (RestartPolicy). Default: off, so a test
   * that kills a service decides when it comes back.
   */
  restart?: RestartOptions;
}

/**
 * All six services as real processes (the built `dist/main.js` of each), on
 * the run's broker and database, with a fresh database and topic prefix of
 * their own. Services can be killed (-9) and restarted mid-test. Methods that
 * take an `instance` default to instance 0.
 */
export class Stack {
  readonly token: string;
  readonly masterKey: string;
  readonly prefix: string;
  readonly logDir: string;
  /** The port of each service's instance 0. */
  readonly ports = {} as Record<ServiceName, number>;
  /** The port of every instance of each service. */
  readonly instancePorts = {} as Record<ServiceName, number[]>;
  readonly instances: Record<ServiceName, number>;
  private readonly processes = new Map<string, Supervised>();
  private readonly root = findRepoRoot();
  private env: Record<string, string> = {};
  /** Processes stopped on purpose: their exit is not a crash. */
  private readonly stopping = new WeakSet<Supervised>();
  private readonly policies = new Map<string, RestartPolicy>();
  private readonly pendingRestarts = new Map<string, NodeJS.Timeout>();
  private readonly restarting = new Set<Promise<void>>();
  private stopped = false;

  constructor(private readonly options: StackOptions) {
    this.token = options.token ?? `admin-token-${randomBytes(12).toString('hex')}`;
    this.masterKey = options.masterKey ?? randomBytes(32).toString('base64');
    this.prefix = options.topicPrefix ?? `t${randomBytes(4).toString('hex')}.`;
    this.logDir = options.logDir ?? mkdtempSync(join(tmpdir(), 'hookline-stack-'));
    this.instances = instanceCounts(options.instances);
    if (options.restart) new RestartPolicy(options.restart); // refuses bad settings now rather than at the first crash
    mkdirSync(this.logDir, { recursive: true });
  }

  get brokers(): string {
    return this.options.brokers;
  }

  /** The stack's own database (set once started). */
  get databaseUrl(): string {
    return this.env.DATABASE_URL;
  }

  url(service: ServiceName, instance = 0): string {
    return `http://127.0.0.1:${this.portOf(service, instance)}`;
  }

  portOf(service: ServiceName, instance = 0): number {
    return this.instancePorts[service]?.[instance] ?? this.ports[service];
  }

  async start(): Promise<this> {
    this.stopped = false;
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
    for (const name of SERVICES) {
      const fixed = this.options.ports?.[name];
      const ports: number[] = [];
      for (let i = 0; i < this.instances[name]; i++) ports.push(fixed === undefined ? await freePort() : fixed + PORT_STRIDE * i);
      this.instancePorts[name] = ports;
      this.ports[name] = ports[0];
    }
    // admin-api first: it creates the topics; the others then start in parallel.
    await this.startService('admin-api');
    await Promise.all(
      this.all().flatMap(({ service, instance }) => (service === 'admin-api' && instance === 0 ? [] : [this.startService(service, {}, instance)])),
    );
    return this;
  }

  /** Every service instance, as `{ service, instance }`. */
  all(): Array<{ service: ServiceName; instance: number }> {
    return SERVICES.flatMap((service) => Array.from({ length: this.instances[service] }, (_, instance) => ({ service, instance })));
  }

  /** Starts (or restarts) one service instance; `env` overrides the stack's environment for this process only. */
  async startService(name: ServiceName, env: Record<string, string> = {}, instance = 0): Promise<void> {
    const key = keyOf(name, instance);
    const childEnv = { HOOKLINE_NODE_OPTIONS: process.env.HOOKLINE_NODE_OPTIONS, ...this.env, ...env };
    const proc = await supervise({
      name: instance === 0 ? name : `${name}.${instance}`,
      command: process.execPath,
      args: [join(this.root, 'apps', name, 'dist', 'main.js')],
      logFile: this.logFile(name, instance),
      cwd: this.root,
      env: { PATH: process.env.PATH ?? '', ...childEnv, NODE_OPTIONS: serviceNodeOptions(childEnv), [PORT_VARS[name]]: String(this.portOf(name, instance)) },
      stopSignal: 'SIGTERM',
      graceMs: 40_000,
      log: () => undefined,
    });
    this.processes.set(key, proc);
    void proc.exited.then((code) => this.onExit(name, instance, proc, code, env));
    const exited = new AbortController();
    void proc.exited.then(() => exited.abort(new Error(`${name}${instance ? ` instance ${instance}` : ''} exited during start`)));
    try {
      await waitFor(
        async () => {
          const res = await fetch(`${this.url(name, instance)}/health/ready`).catch(() => null);
          return res?.ok ? true : undefined;
        },
        { timeoutMs: 60_000, intervalMs: 200, description: `${name}${instance ? ` instance ${instance}` : ''} ready`, signal: exited.signal },
      );
    } catch (error) {
      throw new Error(`${(error as Error).message}\n--- ${name} log ---\n${this.logTail(name, 40, instance)}`);
    }
  }

  /** The running process of a service instance (pid, `exited`), or undefined when it is not running. */
  processOf(name: ServiceName, instance = 0): Supervised | undefined {
    return this.processes.get(keyOf(name, instance));
  }

  /** `kill -9` of a service instance's process: a crash, so with `restart` set the stack starts it again. */
  async kill(name: ServiceName, instance = 0): Promise<void> {
    const key = keyOf(name, instance);
    const proc = this.processes.get(key);
    if (!proc) return;
    process.kill(proc.pid, 'SIGKILL');
    await proc.exited;
    if (this.processes.get(key) === proc) this.processes.delete(key);
  }

  async stopService(name: ServiceName, instance = 0): Promise<number | undefined> {
    const key = keyOf(name, instance);
    this.cancelRestart(key);
    const proc = this.processes.get(key);
    if (!proc) return undefined;
    this.stopping.add(proc);
    const code = await proc.stop();
    if (this.processes.get(key) === proc) this.processes.delete(key);
    return code;
  }

  /** Stops every service process (no restarts from here on) and says how each ended. */
  async stop(): Promise<StopResult[]> {
    this.stopped = true;
    for (const key of [...this.pendingRestarts.keys()]) this.cancelRestart(key);
    const stopAll = () =>
      Promise.all(
        this.all()
          .filter(({ service, instance }) => this.processOf(service, instance))
          .map(({ service, instance }) =>
            this.stopService(service, instance).then(
              (code): StopResult => ({ service, instance, code }),
              (error: Error): StopResult => ({ service, instance, error: error.message }),
            ),
          ),
      );
    const results = await stopAll();
    // A restart that was starting a process when the stop came: wait for it, then stop what it started.
    await Promise.allSettled([...this.restarting]);
    results.push(...(await stopAll()));
    for (const name of SERVICES) {
      if (this.options.ports?.[name] !== undefined) continue;
      for (const port of this.instancePorts[name] ?? []) releasePort(port);
    }
    return results;
  }

  logFile(name: ServiceName, instance = 0): string {
    return join(this.logDir, instance === 0 ? `${name}.log` : `${name}.${instance}.log`);
  }

  logTail(name: ServiceName, lines = 40, instance = 0): string {
    try {
      return readFileSync(this.logFile(name, instance), 'utf8').split('\n').slice(-lines).join('\n');
    } catch {
      return '(no log)';
    }
  }
  /** A process exited: unless it was stopped on purpose, and when `restart` is set, start it again after the policy's delay. */
  private onExit(name: ServiceName, instance: number, proc: Supervised, code: number, env: Record<string, string>): void {
    const restart = this.options.restart;
    if (!restart || this.stopped || this.stopping.has(proc)) return;
    const key = keyOf(name, instance);
    if (this.processes.get(key) === proc) this.processes.delete(key);
    this.crashed(name, instance, code, env);
  }

  private crashed(name: ServiceName, instance: number, code: number, env: Record<string, string>): void {
    const restart = this.options.restart as RestartOptions;
    const key = keyOf(name, instance);
    let policy = this.policies.get(key);
    if (!policy) this.policies.set(key, (policy = new RestartPolicy(restart)));
    const decision = policy.onCrash(Date.now());
    if (!decision.restart) {
      restart.onEvent?.({ type: 'gave-up', service: name, instance, code, crashes: decision.crashes, windowMs: decision.windowMs });
      return;
    }
    restart.onEvent?.({ type: 'exited', service: name, instance, code, restartInMs: decision.delayMs, crashes: decision.crashes });
    this.cancelRestart(key);
    const timer = setTimeout(() => {
      this.pendingRestarts.delete(key);
      if (this.stopped) return;
      const attempt = this.startService(name, env, instance).then(
        () => {
          const pid = this.processOf(name, instance)?.pid ?? 0;
          if (!this.stopped) restart.onEvent?.({ type: 'restarted', service: name, instance, pid });
        },
        (error: Error) => {
          if (this.stopped) return;
          restart.onEvent?.({ type: 'restart-failed', service: name, instance, error });
          // A process that exited during its start was already counted by onExit; one that never got ready is stopped and counted here.
          const proc = this.processOf(name, instance);
          if (proc && !proc.hasExited()) {
            this.stopping.add(proc);
            void proc.stop().then((exit) => {
              if (this.processes.get(key) === proc) this.processes.delete(key);
              if (!this.stopped) this.crashed(name, instance, exit, env);
            });
          }
        },
      );
      this.restarting.add(attempt);
      void attempt.finally(() => this.restarting.delete(attempt));
    }, decision.delayMs);
    this.pendingRestarts.set(key, timer);
  }

  private cancelRestart(key: string): void {
    clearTimeout(this.pendingRestarts.get(key));
    this.pendingRestarts.delete(key);
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

function keyOf(name: ServiceName, instance: number): string {
  return `${name}#${instance}`;
}

/** Creates the database unless it exists; returns its URL. */
async function ensureDatabase(serverUrl: string, name: string): Promise<string> {
  const client = await connectToServer(serverUrl);
  try {
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (exists.rowCount === 0) await client.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
  } finally {
    await client.end();
  }
  return withDatabase(serverUrl, name);
}

/** A connection to the server of `url`: to its database, or, when that is the one yet to be created (3D000), to `postgres`. */
async function connectToServer(url: string): Promise<Client> {
  const client = new Client({ connectionString: url });
  try {
    await client.connect();
    return client;
  } catch (error) {
    if ((error as { code?: string }).code !== '3D000') throw error;
    const fallback = new Client({ connectionString: withDatabase(url, 'postgres') });
    await fallback.connect();
    return fallback;
  }
}
