import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { lockFile, processStartTime, tryLock } from './lock';

let dir: string;
let other: ChildProcess;

/** Writes the lock file another process would write: its pid in the name, its start time inside. */
function lockAs(pid: number, name: string, startTime = processStartTime(pid)) {
  writeFileSync(lockFile(dir, name, pid), startTime);
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'hookline-lock-'));
  other = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
});

afterEach(() => {
  other.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

describe('tryLock', () => {
  it('is refused while another live process holds the lock, and taken over once that process is gone', async () => {
    lockAs(other.pid!, 'thing');
    expect(tryLock(dir, 'thing')).toEqual({ heldBy: other.pid });
    expect(readdirSync(dir)).toEqual([basename(lockFile(dir, 'thing', other.pid!))]); // our claim was withdrawn

    other.kill('SIGKILL');
    await new Promise((resolve) => other.once('exit', resolve));
    const attempt = tryLock(dir, 'thing');
    expect('held' in attempt).toBe(true);
    expect(readdirSync(dir)).toEqual([basename(lockFile(dir, 'thing', process.pid))]); // the stale lock is gone
    if ('held' in attempt) attempt.held.release();
    expect(readdirSync(dir)).toEqual([]);
  });

  it('treats a lock whose pid now belongs to a process started later as stale', () => {
    lockAs(other.pid!, 'thing', '1'); // written by a process with this pid that started at tick 1, long gone
    const attempt = tryLock(dir, 'thing');
    expect('held' in attempt).toBe(true);
    if ('held' in attempt) attempt.held.release();
  });

  it('is held once per process, and other names are independent', () => {
    const first = tryLock(dir, 'a');
    expect('held' in first).toBe(true);
    expect(tryLock(dir, 'a')).toEqual({ heldBy: process.pid });
    const b = tryLock(dir, 'b');
    expect('held' in b).toBe(true);
    for (const attempt of [first, b]) if ('held' in attempt) attempt.held.release();
    const again = tryLock(dir, 'a');
    expect('held' in again).toBe(true);
    if ('held' in again) again.held.release();
  });
});
