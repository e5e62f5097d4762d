import { type HeldLock, tryLock } from './lock';

/**
 * Marks `dataDir` as used by this process until release. A second process
 * starting a server on the same folder (two `npm start` in one checkout, or the
 * infra CLI beside it) would otherwise wipe or initialise it under the first
 * one's feet: that is how two PostgreSQL starts on one folder end in
 * "initdb: directory exists but is not empty".
 */
export function claimDataDir(dataDir: string, server: string): HeldLock {
  const attempt = tryLock(dataDir, '.hookline-in-use');
  if ('held' in attempt) return attempt.held;
  const who = attempt.heldBy === process.pid ? 'this process' : `process ${attempt.heldBy}`;
  throw new Error(`${server}: ${dataDir} is in use by ${who} (another npm start, test run or bench?); stop it or use another folder`);
}
