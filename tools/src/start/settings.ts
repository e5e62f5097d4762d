import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { findRepoRoot, isPortFree } from '@hookline/infra';
import { DEFAULT_PORTS, instanceCounts, type Instances, PORT_STRIDE, PORT_VARS, SERVICES, type ServiceName } from '@hookline/stack';
import { integerFlag, parseFlags, UsageError } from '../flags';

/** The settings npm start reads for itself and does not hand to the services. */
export const START_ONLY_VARS = ['HOOKLINE_DATA_DIR', 'HOOKLINE_INSTANCES'];

/** HOOKLINE_DATA_DIR, else `.data` in the repository: Kafka's log, PostgreSQL's cluster, service logs, the admin token and master key. */
export function dataDirectory(env: NodeJS.ProcessEnv = process.env): string {
  return env.HOOKLINE_DATA_DIR ? resolve(env.HOOKLINE_DATA_DIR) : join(findRepoRoot(), '.data');
}

/**
 * Processes per service: `--instances` (a number for every service), else
 * HOOKLINE_INSTANCES, either a number (`2`) or per service
 * (`dispatcher=2,rules-engine=2`, the others one); default 1.
 */
export function startInstances(args: string[], env: NodeJS.ProcessEnv = process.env): Record<ServiceName, number> {
  const max = PORT_STRIDE - 1;
  const flags = parseFlags(args, { instances: { type: 'string' } });
  if (flags.instances !== undefined) return instanceCounts(integerFlag(flags.instances, 'instances', 1, max));
  const raw = env.HOOKLINE_INSTANCES?.trim();
  if (!raw) return instanceCounts(1);
  const rule = `HOOKLINE_INSTANCES must be a number from 1 to ${max}, or service=number pairs separated by commas (e.g. dispatcher=2,rules-engine=2)`;
  if (/^\d+$/.test(raw)) {
    const n = Number(raw);
    if (n < 1 || n > max) throw new UsageError(`${rule}; got ${raw}`);
    return instanceCounts(n);
  }
  const counts: Instances = {};
  for (const pair of raw.split(',')) {
    const m = /^\s*([a-z-]+)\s*=\s*(\d+)\s*$/.exec(pair);
    if (!m) throw new UsageError(`${rule}; "${pair.trim()}" is neither`);
    const [, name, n] = m;
    if (!(SERVICES as readonly string[]).includes(name))
      throw new UsageError(`HOOKLINE_INSTANCES names an unknown service "${name}" (one of ${SERVICES.join(', ')})`);
    if (Number(n) < 1 || Number(n) > max) throw new UsageError(`HOOKLINE_INSTANCES: ${name} must run 1 to ${max} instances; got ${n}`);
    counts[name as ServiceName] = Number(n);
  }
  return instanceCounts(counts);
}

/** HOOKLINE_ADMIN_TOKEN, else the token kept in <dataDir>/admin-token (created on first start). */
export function adminToken(dataDir: string): string {
  const fromEnv = process.env.HOOKLINE_ADMIN_TOKEN;
  if (fromEnv !== undefined) {
    if (fromEnv.length < 16) throw new Error('HOOKLINE_ADMIN_TOKEN must be at least 16 characters');
    return fromEnv;
  }
  const file = join(dataDir, 'admin-token');
  if (existsSync(file)) {
    const saved = readFileSync(file, 'utf8').trim();
    if (saved.length >= 16) return saved;
  }
  const token = `hl_admin_${randomBytes(24).toString('base64url')}`;
  writeFileSync(file, `${token}\n`, { mode: 0o600 });
  return token;
}

/**
 * HOOKLINE_MASTER_KEY, else the key kept in <dataDir>/master-key (created on
 * first start): the database in .data holds secrets sealed under it, so it
 * must outlive a restart.
 */
export function masterKey(dataDir: string): string {
  if (process.env.HOOKLINE_MASTER_KEY !== undefined) return process.env.HOOKLINE_MASTER_KEY;
  const file = join(dataDir, 'master-key');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const key = randomBytes(32).toString('base64');
  writeFileSync(file, `${key}\n`, { mode: 0o600 });
  return key;
}

/** Each service's port: its variable (ADMIN_API_PORT, …) or the usual 3000-3005. */
export function servicePorts(): Record<ServiceName, number> {
  const ports = {} as Record<ServiceName, number>;
  for (const name of SERVICES) {
    const raw = process.env[PORT_VARS[name]];
    const port = raw === undefined || raw === '' ? DEFAULT_PORTS[name] : Number(raw);
    if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`${PORT_VARS[name]} must be a port number (1-65535)`);
    ports[name] = port;
  }
  return ports;
}

/** Every instance's port (instance i: the service's port + PORT_STRIDE × i) must be free before anything starts. */
export async function checkPortsFree(ports: Record<ServiceName, number>, instances: Record<ServiceName, number> = instanceCounts()): Promise<void> {
  const taken = [];
  const owner = new Map<number, string>();
  for (const name of SERVICES) {
    for (let i = 0; i < instances[name]; i++) {
      const port = ports[name] + PORT_STRIDE * i;
      const label = `${name}${i ? ` instance ${i}` : ''}`;
      if (owner.has(port))
        throw new UsageError(`${label} and ${owner.get(port)} would both listen on ${port}: instance i of a service uses its port + ${PORT_STRIDE} × i`);
      owner.set(port, label);
      if (!(await isPortFree(port))) taken.push(`${port} (${label}; set ${PORT_VARS[name]} to use another port)`);
    }
  }
  if (taken.length) throw new Error(`ports in use: ${taken.join(', ')}. Is another Hookline already running?`);
}

/** The database named in DATABASE_URL, unless that is the server's default one; else `hookline`. */
export function databaseName(url: string): string {
  const name = decodeURIComponent(new URL(url).pathname.replace(/^\//, ''));
  return name && name !== 'postgres' ? name : 'hookline';
}

/** The services that open a PostgreSQL pool (DATABASE_POOL_SIZE connections per instance). */
const DATABASE_SERVICES: readonly ServiceName[] = ['admin-api', 'ingest', 'retry-scheduler', 'log-store'];

/**
 * PostgreSQL's max_connections for npm start: every pool the stack can open
 * (each instance of the four database services × DATABASE_POOL_SIZE), plus 20
 * for psql, the bench's checks and a restarting instance whose old
 * connections have not timed out yet. One instance each: 60.
 */
export function postgresConnections(instances: Record<ServiceName, number>, env: NodeJS.ProcessEnv = process.env): number {
  const pool = Number(env.DATABASE_POOL_SIZE);
  const perInstance = Number.isInteger(pool) && pool > 0 ? pool : 10;
  return DATABASE_SERVICES.reduce((sum, name) => sum + instances[name] * perInstance, 0) + 20;
}
