import { spawn } from 'node:child_process';
import { ROLE_VAR } from './role';
import { fail, say, warn } from '../terminal';

/**
 * The foreground process of `npm start`: runs the stack in a child of its own
 * process group and turns Ctrl-C into a stop request (closing the child's stdin).
 */
export function runLauncher(script: string): void {
  const major = Number(process.versions.node.split('.')[0]);
  if (major < 24) {
    fail(`Hookline needs Node.js 24 or newer; this is ${process.version} (${process.execPath}).`);
    fail('Run it with the repository\'s Node: PATH="$PWD/node_modules/.bin:$PATH" npm start');
    process.exit(1);
  }
  const child = spawn(process.execPath, [script, ...process.argv.slice(2)], {
    env: { ...process.env, [ROLE_VAR]: 'stack' },
    stdio: ['pipe', 'inherit', 'inherit'],
    detached: true, // own process group: the terminal's Ctrl-C does not reach it directly
  });
  child.stdin.on('error', () => undefined);

  let firstSignalAt = 0;
  const onSignal = (signal: string) => {
    const now = Date.now();
    if (!firstSignalAt) {
      firstSignalAt = now;
      process.stdout.write('\n');
      say(`${signal}: stopping (press Ctrl-C again to stop without waiting)`);
      child.stdin.end(); // the stop request
    } else if (now - firstSignalAt > 1500) {
      // A second, separate Ctrl-C (npm forwards the first one, so ignore echoes of it).
      warn('stopping without waiting for a graceful shutdown');
      try {
        child.kill('SIGTERM');
      } catch {
        /* gone */
      }
    }
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, onSignal);

  // Under `npm start` our parent is npm (the script `exec`s node, so npm's SIGINT/SIGTERM
  // reach us rather than a shell that would die and leave us running). When npm
  // is killed outright we are re-parented and nobody would ever stop us: treat
  // that as a stop request.
  if (process.env.npm_lifecycle_event) {
    const parent = process.ppid;
    const watch = setInterval(() => {
      if (process.ppid === parent) return;
      clearInterval(watch);
      onSignal('parent exited');
    }, 1000);
    watch.unref();
  }

  child.on('exit', (code, signal) => {
    process.exit(code ?? (signal === 'SIGINT' ? 130 : 1));
  });
}
