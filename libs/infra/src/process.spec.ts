import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isPidAlive, waitFor } from './process';

/*
 * A process that supervises a service (`sleep 600` standing in for java or
 * postgres) and is then sent SIGINT. It loads process.ts itself (Node strips
 * the types), so what runs there is this source, not a build of it.
 */

let dir: string;
let app: ChildProcess | undefined;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'hookline-process-'));
});

afterEach(() => {
  app?.kill('SIGKILL');
  app = undefined;
  rmSync(dir, { recursive: true, force: true });
});

/** Starts the app; resolves with its service's pid and a way to read what it printed. */
async function startApp(handler: string): Promise<{ servicePid: number; output: () => string; exit: Promise<{ code: number | null; signal: string | null }> }> {
  const source = `
    const { supervise } = require(${JSON.stringify(join(__dirname, 'process.ts'))});
    supervise({ name: 'sleeper', command: 'sleep', args: ['600'], logFile: ${JSON.stringify(join(dir, 'sleeper.log'))},
      stopSignal: 'SIGTERM', graceMs: 2000, log: () => undefined })
      .then((service) => {
        ${handler}
        console.log(JSON.stringify({ pid: service.pid }));
      });
  `;
  const child = spawn(process.execPath, ['--no-warnings', '-e', source], { stdio: ['ignore', 'pipe', 'inherit'] });
  app = child;
  let out = '';
  child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const exit = new Promise<{ code: number | null; signal: string | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const servicePid = await waitFor(() => /"pid":(\d+)/.exec(out)?.[1], { timeoutMs: 10_000, description: 'the service pid' }).then(Number);
  return { servicePid, output: () => out, exit };
}

describe('supervise on SIGINT', () => {
  it('stops the services, then exits by the signal, when the application has no handler of its own', async () => {
    const { servicePid, exit } = await startApp('');
    expect(isPidAlive(servicePid)).toBe(true);
    app!.kill('SIGINT');
    await expect(exit).resolves.toEqual({ code: null, signal: 'SIGINT' });
    await waitFor(() => !isPidAlive(servicePid), { timeoutMs: 5_000, description: `pid ${servicePid} to exit` });
  }, 20_000);

  it('leaves the shutdown to an application that handles the signal, and still stops every service when it exits', async () => {
    // The handler looks a while later whether the service still runs (npm start stops its services before their broker), then exits.
    const { servicePid, output, exit } = await startApp(`
      process.on('SIGINT', () => setTimeout(() => {
        let alive = true;
        try { process.kill(service.pid, 0); } catch { alive = false; }
        console.log(alive ? 'still running' : 'already stopped');
        process.exit(0);
      }, 500));
    `);
    app!.kill('SIGINT');
    await expect(exit).resolves.toEqual({ code: 0, signal: null });
    expect(output()).toContain('still running');
    await waitFor(() => !isPidAlive(servicePid), { timeoutMs: 5_000, description: `pid ${servicePid} to exit` });
  }, 20_000);
});
