import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { freePort, supervise, waitFor, type Supervised } from '../../libs/infra/src';

export const SERVICES = ['admin-api', 'ingest', 'rules-engine', 'dispatcher', 'retry-scheduler', 'log-store'] as const;
export type ServiceName = (typeof SERVICES)[number];

const PORT_VARS: Record<ServiceName, string> = {
  'admin-api': 'ADMIN_API_PORT',
  ingest: 'INGEST_PORT',
  'rules-engine': 'RULES_ENGINE_PORT',
  dispatcher: 'DISPATCHER_PORT',
  'retry-scheduler': 'RETRY_SCHEDULER_PORT',
  'log-store': 'LOG_STORE_PORT',
};

const ROOT = join(__dirname, '..', '..');

export interface StackOptions {
  /** Extra environment for every service (e.g. HOOKLINE_RETRY_SCHEDULE). */
  env?: Record<string, string>;
}

/**
 * All six services as real processes (the built `dist/main.js` of each), on
 * the run's broker and database, with a fresh database and topic prefix of
 * their own. Services can be killed (-9) and restarted mid-test.
 */
export class Stack {
  readonly token = `test-admin-token-${randomBytes(8).toString('hex')}`;
  readonly prefix = `t${randomBytes(4).toString('hex')}.`;
  readonly logDir = mkdtempSync(join(tmpdir(), 'hookline-stack-'));
  readonly ports = {} as Record<ServiceName, number>;
  private readonly processes = new Map<ServiceName, Supervised>();
  private env: Record<string, string> = {};

  constructor(private readonly options: StackOptions = {}) {}

  get brokers(): string {
    return requiredEnv('HOOKLINE_TEST_KAFKA_BROKERS');
  }

  url(service: ServiceName): string {
    return `http://127.0.0.1:${this.ports[service]}`;
  }

  async start(): Promise<this> {
    const databaseUrl = await createDatabase(`hookline_${this.prefix.slice(0, -1)}`);
    this.env = {
      KAFKA_BROKERS: this.brokers,
      DATABASE_URL: databaseUrl,
      HOOKLINE_TOPIC_PREFIX: this.prefix,
      HOOKLINE_TOPIC_PARTITIONS: '4',
      HOOKLINE_ADMIN_TOKEN: this.token,
      HOOKLINE_ALLOW_PRIVATE_TARGETS: 'true',
      LOG_LEVEL: 'info',
      ...this.options.env,
    };
    for (const name of SERVICES) this.ports[name] = await freePort();
    // admin-api first: it creates the topics; the others then start in parallel.
    await this.startService('admin-api');
    await Promise.all(SERVICES.filter((s) => s !== 'admin-api').map((s) => this.startService(s)));
    return this;
  }

  async startService(name: ServiceName): Promise<void> {
    const proc = await supervise({
      name,
      command: process.execPath,
      args: [join(ROOT, 'apps', name, 'dist', 'main.js')],
      logFile: this.logFile(name),
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', ...this.env, [PORT_VARS[name]]: String(this.ports[name]) },
      stopSignal: 'SIGTERM',
      graceMs: 40_000,
      log: () => undefined,
    });
    this.processes.set(name, proc);
    try {
      await waitFor(
        async () => {
          if (proc.hasExited()) throw new Error(`${name} exited during start`);
          const res = await fetch(`${this.url(name)}/health/ready`).catch(() => null);
          return res?.ok ? true : undefined;
        },
        { timeoutMs: 60_000, intervalMs: 200, description: `${name} ready` },
      );
    } catch (error) {
      throw new Error(`${(error as Error).message}\n--- ${name} log ---\n${this.logTail(name)}`);
    }
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

  /** Calls a service's HTTP API with the admin token. */
  async api<T = unknown>(service: ServiceName, method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
    const res = await fetch(`${this.url(service)}${path}`, {
      method,
      headers: { authorization: `Bearer ${this.token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
  }
}

async function createDatabase(name: string): Promise<string> {
  const adminUrl = requiredEnv('HOOKLINE_TEST_DATABASE_URL');
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE "${name}"`);
  } finally {
    await client.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the tests through jest (test/harness/global-setup.ts starts the infrastructure)`);
  return value;
}
