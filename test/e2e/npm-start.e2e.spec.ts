import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findRepoRoot, freePort, isPidAlive, releasePort, waitFor, withDatabase } from '@hookline/infra';
import { PORT_VARS, SERVICES, type ServiceName } from '@hookline/stack';

/**
 * `npm start` as a person or a process manager runs it: the real npm script,
 * on the run's broker and database (as KAFKA_BROKERS / DATABASE_URL), with its
 * data in a temporary folder and its services on free ports.
 */
describe('npm start', () => {
  const root = findRepoRoot();
  const dataDir = mkdtempSync(join(tmpdir(), 'hookline-npm-start-'));
  const ports = {} as Record<ServiceName, number>;
  let npm: ChildProcess;
  let output = '';
  const seen = new Set<number>(); // every process of the tree ever seen, to check none is left

  beforeAll(async () => {
    for (const name of SERVICES) ports[name] = await freePort();
    const env: NodeJS.ProcessEnv = {
      PATH: `${join(root, 'node_modules', '.bin')}:${process.env.PATH ?? ''}`,
      HOME: process.env.HOME,
      KAFKA_BROKERS: required('HOOKLINE_TEST_KAFKA_BROKERS'),
      DATABASE_URL: withDatabase(required('HOOKLINE_TEST_DATABASE_URL'), `hookline_npm_start_${randomBytes(4).toString('hex')}`),
      HOOKLINE_TOPIC_PREFIX: `t${randomBytes(4).toString('hex')}.`,
      HOOKLINE_TOPIC_PARTITIONS: '2',
      HOOKLINE_DATA_DIR: dataDir,
    };
    for (const name of SERVICES) env[PORT_VARS[name]] = String(ports[name]);
    // Its own process group, so that cleanup after a failure can reach every process at once.
    npm = spawn('npm', ['start'], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    npm.stdout!.on('data', (chunk: Buffer) => void (output += chunk.toString()));
    npm.stderr!.on('data', (chunk: Buffer) => void (output += chunk.toString()));
    const exited = new AbortController();
    npm.once('exit', (code) => exited.abort(new Error(`npm start exited with ${code} before it was ready`)));
    await waitFor(() => output.includes('Hookline is running'), {
      timeoutMs: 120_000,
      intervalMs: 200,
      description: 'npm start ready',
      signal: exited.signal,
    }).catch((error: Error) => {
      throw new Error(`${error.message}\n--- npm start output ---\n${output}`);
    });
  }, 150_000);

  afterAll(() => {
    // Only after a failure is anything left: kill what remains of the tree.
    for (const pid of [...seen, ...descendants(npm.pid!)]) if (isPidAlive(pid)) process.kill(pid, 'SIGKILL');
    for (const name of SERVICES) releasePort(ports[name]);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('restarts a service killed with kill -9, and stops everything on a SIGTERM to the npm process alone', async () => {
    const killed = serviceProcess(npm.pid!, 'dispatcher');
    for (const pid of descendants(npm.pid!)) seen.add(pid);
    process.kill(killed, 'SIGKILL');

    const restarted = await waitFor(() => /dispatcher\S* restarted \(pid (\d+)\) and ready/.exec(output)?.[1], {
      timeoutMs: 60_000,
      description: 'the restart of dispatcher',
    }).catch((error: Error) => {
      throw new Error(`${error.message}\n--- npm start output ---\n${output}`);
    });
    expect(output).toMatch(/dispatcher\S* exited \(killed by SIGKILL\) at \d\d:\d\d:\d\d; restarting it in 1 s/);
    expect(Number(restarted)).not.toBe(killed);
    expect(serviceProcess(npm.pid!, 'dispatcher')).toBe(Number(restarted));
    expect((await fetch(`http://127.0.0.1:${ports.dispatcher}/health/ready`)).status).toBe(200);
    // Every other service is the process it was: one exit restarts one service.
    expect(output.match(/restarted \(pid/g)).toHaveLength(1);

    const tree = descendants(npm.pid!);
    for (const pid of tree) seen.add(pid);
    // The launcher, the stack process, a watchdog and a process per service.
    expect(tree.length).toBeGreaterThanOrEqual(2 + 2 * SERVICES.length);
    const beforeStop = output.length;

    const npmExit = new Promise<number | null>((resolve) => npm.once('exit', (code) => resolve(code)));
    const t0 = Date.now();
    process.kill(npm.pid!, 'SIGTERM'); // npm alone, as a process manager does; not its group

    // Every service has 40 s to hand back its work; these finish in a few.
    await waitFor(() => [...seen].every((pid) => !isPidAlive(pid)), {
      timeoutMs: 45_000,
      intervalMs: 200,
      description: 'every process of npm start to exit',
    }).catch((error: Error) => {
      const left = [...seen].filter(isPidAlive).map((pid) => `${pid} ${commandLine(pid)}`);
      throw new Error(`${error.message}; still running:\n${left.join('\n')}\n--- npm start output ---\n${output}`);
    });
    await npmExit;
    const afterStop = output.slice(beforeStop);
    // Stopped by the signal itself, not by the launcher noticing later that npm's shell had died and left it behind.
    expect(afterStop).toContain('SIGTERM: stopping');
    expect(afterStop).toContain('stopping the services');
    expect(afterStop).toContain('all stopped');
    expect(afterStop).not.toMatch(/restarting it|restarted \(pid/); // a stop is not a crash
    process.stdout.write(`npm start stopped on SIGTERM in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
  }, 120_000);
});

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the tests through jest (test/harness/global-setup.ts starts the infrastructure)`);
  return value;
}

/** Every process below `pid`, from /proc. */
function descendants(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // exited meanwhile
    }
    // "pid (comm) state ppid …": comm may hold spaces and parentheses, so split after the last ')'.
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
  }
  const out: number[] = [];
  const queue = [pid];
  while (queue.length) {
    for (const child of children.get(queue.shift()!) ?? []) {
      queue.push(child);
      out.push(child);
    }
  }
  return out;
}

function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
  } catch {
    return '(gone)';
  }
}

/** The pid of the one process below `pid` that runs the service's built main.js. */
function serviceProcess(pid: number, service: ServiceName): number {
  const matches = descendants(pid).filter((p) => commandLine(p).endsWith(join('apps', service, 'dist', 'main.js')));
  if (matches.length !== 1) throw new Error(`expected one ${service} process below ${pid}, found ${matches.length}`);
  return matches[0];
}
