import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tryLock } from './lock';

/** The lock that marks a data folder as used by one process (`<name>.<pid>.lock` in the folder). */
export const DATA_DIR_LOCK = '.hookline-in-use';

/**
 * Runs `start` with `dataDir` claimed for this process: created if missing,
 * and marked as used until `release` (the started server's stop() calls it)
 * or until `start` fails. A second process starting a server on the same
 * folder (two `npm start` in one checkout, or the infra CLI beside it) would
 * otherwise wipe or initialise it under the first one's feet: that is how two
 * PostgreSQL starts on one folder end in "initdb: directory exists but is not
 * empty". Such a start fails at once, naming the holder.
 */
export async function onDataDir<T>(dataDir: string, server: string, start: (release: () => void) => Promise<T>): Promise<T> {
  const attempt = tryLock(dataDir, DATA_DIR_LOCK);
  if (!('held' in attempt)) {
    const who = attempt.heldBy === process.pid ? 'this process' : `process ${attempt.heldBy}`;
    throw new Error(`${server}: ${dataDir} is in use by ${who} (another npm start, test run or bench?); stop it or use another folder`);
  }
  try {
    return await start(attempt.held.release);
  } catch (error) {
    attempt.held.release();
    throw error;
  }
}

/** The ports a server used on a data folder: the next start there prefers them, so clients holding the old address reconnect. */
export interface PortsFile {
  port?: number;
  controllerPort?: number;
}

/** The ports the previous run on `dataDir` wrote; none on a first run. */
export function readPortsFile(dataDir: string): PortsFile {
  try {
    return JSON.parse(readFileSync(join(dataDir, 'ports.json'), 'utf8')) as PortsFile;
  } catch {
    return {};
  }
}

export function writePortsFile(dataDir: string, ports: PortsFile): void {
  writeFileSync(join(dataDir, 'ports.json'), `${JSON.stringify(ports)}\n`);
}
