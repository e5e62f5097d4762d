import { randomInt } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type HeldLock, lockFile, tryLock } from './lock';
import { bindFailed, fileSize } from './log-files';
import type { Log } from './process';

/*
 * Ports for servers started seconds after they are chosen (Kafka, PostgreSQL,
 * the six services). Two things can take such a port in between:
 *
 *   - another Hookline process choosing at the same moment (two test runs, a
 *     test run beside npm start or a bench). Each chosen port is therefore
 *     reserved with a lock file in a per-user folder until this process
 *     releases it or ends; other Hookline processes skip reserved ports.
 *   - any process's outgoing connection: the kernel gives those local ports
 *     from its ephemeral range, which is also where `listen(0)` picks. So
 *     ports are chosen below that range, where only explicit binds land.
 *
 * Whatever still slips through (a foreign program binding the very port) makes
 * the server fail to bind; startKafka and startPostgres then start it again on
 * fresh ports (startWithPortRetry). The six services are not retried: they
 * bind their reserved ports within a second of the choice.
 */

const reservations = new Map<number, HeldLock>();

function reservationDir(): string {
  const uid = typeof process.getuid === 'function' ? process.getuid() : 'user';
  return join(tmpdir(), `hookline-ports-${uid}`);
}

const reservationLock = (port: number) => `port-${port}`;

/** The file by which process `pid` reserves `port`. */
export function reservationFile(port: number, pid: number): string {
  return lockFile(reservationDir(), reservationLock(port), pid);
}

/** The ports to choose from: below the kernel's ephemeral range (Linux: ip_local_port_range, else IANA 49152+). */
export function candidatePortRange(): { low: number; high: number } {
  let ephemeralLow = 49152;
  try {
    const [low] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
    if (low && Number.isInteger(low)) ephemeralLow = low;
  } catch {
    /* not Linux */
  }
  // A kernel configured to hand out nearly every port leaves nothing below: then share its range.
  return ephemeralLow > 12_000 ? { low: 10_000, high: ephemeralLow - 1 } : { low: ephemeralLow, high: 65_535 };
}

/** True when nothing listens on 127.0.0.1:port right now. */
export function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/**
 * Reserves `port` for this process if it is free right now and no Hookline
 * process, this one included, has reserved it. A port this process already
 * holds belongs to another of its servers (or is about to), so it is refused
 * like any other reserved one.
 */
export async function claimPort(port: number): Promise<boolean> {
  if (reservations.has(port)) return false;
  if (!(await isPortFree(port))) return false;
  const attempt = tryLock(reservationDir(), reservationLock(port));
  if (!('held' in attempt)) return false;
  reservations.set(port, attempt.held);
  return true;
}

/** A port on 127.0.0.1 that is free, reserved for this process (see above) until releasePort() or exit. */
export async function freePort(): Promise<number> {
  const { low, high } = candidatePortRange();
  for (let attempt = 0; attempt < 500; attempt++) {
    const port = randomInt(low, high + 1);
    if (await claimPort(port)) return port;
  }
  throw new Error(`no free port found in ${low}-${high} after 500 tries`);
}

/** Lets other Hookline processes choose `port` again. */
export function releasePort(port: number): void {
  reservations.get(port)?.release();
  reservations.delete(port);
}

/** The first of `preferred` (skipping undefined ones) that this process can claim, else a fresh free port. Every result is reserved. */
export async function choosePort(preferred: Array<number | undefined>): Promise<number> {
  for (const port of preferred) if (port && (await claimPort(port))) return port;
  return freePort();
}

/** Starts again on fresh ports after a lost race for a port, this many times at most. */
const BIND_ATTEMPTS = 3;

/**
 * Runs `start(attempt)` (attempt 1, 2, …) again when it failed because its
 * server could not bind a port it had chosen, as the server's new output in
 * `logFiles` says ("address already in use"); at most BIND_ATTEMPTS times.
 * `start` chooses its ports (the preferred ones on attempt 1 only) and undoes
 * what it did when it fails. A server whose ports were given (`fixed`) is
 * never moved: its failure is final.
 */
export async function startWithPortRetry<T>(
  o: { server: string; fixed: boolean; logFiles: string[]; log: Log },
  start: (attempt: number) => Promise<T>,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const offsets = o.logFiles.map((file) => ({ file, offset: fileSize(file) }));
    try {
      return await start(attempt);
    } catch (error) {
      if (o.fixed || attempt >= BIND_ATTEMPTS || !bindFailed(...offsets)) throw error;
      o.log(`${o.server}: a port it chose was taken before it could bind it; starting again on other ports`);
    }
  }
}
