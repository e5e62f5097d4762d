import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isPortFree } from '@hookline/infra';
import { DEFAULT_PORTS, PORT_VARS, SERVICES, type ServiceName } from '@hookline/stack';

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

export async function checkPortsFree(ports: Record<ServiceName, number>): Promise<void> {
  const taken = [];
  for (const name of SERVICES) if (!(await isPortFree(ports[name]))) taken.push(`${ports[name]} (${name}; set ${PORT_VARS[name]} to use another port)`);
  if (taken.length) throw new Error(`ports in use: ${taken.join(', ')}. Is another Hookline already running?`);
}

/** The database named in DATABASE_URL, unless that is the server's default one; else `hookline`. */
export function databaseName(url: string): string {
  const name = decodeURIComponent(new URL(url).pathname.replace(/^\//, ''));
  return name && name !== 'postgres' ? name : 'hookline';
}
