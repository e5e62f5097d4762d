import { spawn, type ChildProcess } from 'node:child_process';
import type { Socket } from 'node:net';
import { constants } from 'node:os';

export type Log = (msg: string) => void;
export const noopLog: Log = () => undefined;

export function isPidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export interface WaitForOptions {
  timeoutMs?: number;
  intervalMs?: number;
  /** Used in the timeout error: "timed out after 60 s waiting for <description>". */
  description?: string;
  /** Stops waiting at once, rejecting with `signal.reason`. */
  signal?: AbortSignal;
}

/**
 * Calls `probe` until it returns a value other than `undefined`/`false` (or
 * resolves to one) and returns that value. Exceptions thrown by `probe` count
 * as "not yet" and the last one is attached to the timeout error as `cause`.
 */
export async function waitFor<T>(probe: () => T | undefined | false | Promise<T | undefined | false>, opts: WaitForOptions = {}): Promise<T> {
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const intervalMs = opts.intervalMs ?? 250;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    opts.signal?.throwIfAborted();
    try {
      const result = await probe();
      if (result !== undefined && result !== false) return result;
    } catch (error) {
      lastError = error;
    }
    opts.signal?.throwIfAborted();
    if (Date.now() >= deadline) {
      const detail = lastError instanceof Error ? `: ${lastError.message}` : '';
      throw new Error(`timed out after ${Math.round(timeoutMs / 1000)} s waiting for ${opts.description ?? 'condition'}${detail}`, {
        cause: lastError,
      });
    }
    await sleep(intervalMs);
  }
}

/*
 * Orphan protection
 * -----------------
 * Every service process (java, postgres) is started through a tiny Node
 * watchdog (`node -e WATCHDOG_SOURCE`) whose stdin is a pipe from the process
 * that called startKafka/startPostgres:
 *
 *   caller ──stdin pipe──▶ watchdog ──spawn──▶ java / postgres
 *
 * The kernel closes the caller's end of that pipe whenever the caller dies, for
 * any reason including `kill -9`, so the watchdog sees EOF on stdin and then
 * stops the service (graceful signal, SIGKILL after a grace period) and exits.
 * Linux' prctl(PR_SET_PDEATHSIG) would do the same, but Node cannot call it
 * and the JVM/postgres cannot be told to, so a pipe is the portable way.
 * The watchdog also forwards SIGTERM/SIGINT/SIGHUP as the service's stop signal
 * and exits with the service's exit status. The service's stdout/stderr go to a
 * file (never to the caller), so nothing depends on the caller being alive.
 *
 * In addition, in the caller: an 'exit' hook signals every still-running
 * watchdog, and while services run, SIGINT/SIGTERM/SIGHUP handlers stop them
 * gracefully and then re-raise the signal. An application with its own
 * handler for the signal decides instead: what to stop, in which order, and
 * when to exit (npm start stops the services before their broker and
 * database); if it just exits, the exit hook and the lifelines stop the rest.
 */
export const WATCHDOG_SOURCE = String.raw`
'use strict';
const { spawn } = require('node:child_process');
const { openSync, writeSync } = require('node:fs');
const { constants } = require('node:os');
let child;
let stopping = false;
let pending = '';
function stop(cfg) {
  if (!child) process.exit(0);
  if (stopping) return;
  stopping = true;
  try { child.kill(cfg.stopSignal); } catch {}
  setTimeout(() => { try { child.kill('SIGKILL'); } catch {} }, cfg.graceMs).unref();
}
function start(cfg) {
  const out = openSync(cfg.logFile, 'a');
  child = spawn(cfg.command, cfg.args, {
    cwd: cfg.cwd, env: cfg.env, uid: cfg.uid, gid: cfg.gid, stdio: ['ignore', out, out],
  });
  child.on('error', (error) => {
    try { writeSync(out, '[watchdog] cannot start ' + cfg.command + ': ' + error.message + '\n'); } catch {}
    try { process.stdout.write(JSON.stringify({ error: error.message }) + '\n'); } catch {}
    process.exit(127);
  });
  child.on('exit', (code, signal) => {
    process.exit(code !== null ? code : 128 + ((signal && constants.signals[signal]) || 1));
  });
  if (child.pid) process.stdout.write(JSON.stringify({ pid: child.pid }) + '\n');
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP']) process.on(signal, () => stop(cfg));
  const lifeline = () => stop(cfg);
  process.stdin.on('end', lifeline);
  process.stdin.on('close', lifeline);
  process.stdin.on('error', lifeline);
}
process.stdout.on('error', () => {});
// Until the configuration has arrived, losing the caller simply means "exit".
for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP']) process.once(signal, () => { if (!child) process.exit(0); });
process.stdin.on('end', () => { if (!child) process.exit(0); });
process.stdin.setEncoding('utf8');
process.stdin.on('data', function onData(chunk) {
  if (child) return; // after the config line the pipe only serves as a lifeline
  pending += chunk;
  const newline = pending.indexOf('\n');
  if (newline >= 0) start(JSON.parse(pending.slice(0, newline)));
});
`;

export interface SuperviseOptions {
  name: string;
  command: string;
  args: string[];
  /** stdout+stderr of the service are appended here. */
  logFile: string;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  uid?: number;
  gid?: number;
  /** Signal for a graceful stop (SIGTERM for Kafka, SIGINT = "fast shutdown" for PostgreSQL). */
  stopSignal: NodeJS.Signals;
  /** After a stop request, SIGKILL follows this many ms later. */
  graceMs: number;
  log: Log;
}

export interface Supervised {
  name: string;
  /** pid of the service itself (java / postgres), not of the watchdog. */
  pid: number;
  watchdogPid: number;
  /** Resolves with the exit code (or 128+signal) once the service has exited. */
  exited: Promise<number>;
  hasExited(): boolean;
  /** Graceful stop: stopSignal, then SIGKILL after graceMs. Idempotent. */
  stop(): Promise<number>;
}

/** Every running service (the exit hook and the signal handlers stop them). */
const live = new Set<Supervised>();

/** Starts `command` under a watchdog and resolves once it is running (its pid is known). */
export function supervise(opts: SuperviseOptions): Promise<Supervised> {
  const watchdog: ChildProcess = spawn(
    process.execPath,
    ['-e', WATCHDOG_SOURCE],
    // Not detached: a terminal's Ctrl-C reaches the whole process group as usual.
    // Minimal env so that e.g. NODE_OPTIONS of a test runner cannot affect the watchdog.
    { stdio: ['pipe', 'pipe', 'inherit'], env: { PATH: process.env.PATH ?? '' } },
  );
  // The configuration travels over the lifeline pipe (an env can exceed argv limits).
  watchdog.stdin!.write(
    `${JSON.stringify({
      command: opts.command,
      args: opts.args,
      logFile: opts.logFile,
      cwd: opts.cwd,
      env: opts.env ?? process.env,
      uid: opts.uid,
      gid: opts.gid,
      stopSignal: opts.stopSignal,
      graceMs: opts.graceMs,
    })}\n`,
  );
  return new Promise<Supervised>((resolve, reject) => {
    let exitCode: number | undefined;
    let resolveExit!: (code: number) => void;
    const exited = new Promise<number>((r) => (resolveExit = r));
    let servicePid = 0;
    let buffered = '';
    let stopPromise: Promise<number> | undefined;

    const handle: Supervised = {
      name: opts.name,
      get pid() {
        return servicePid;
      },
      watchdogPid: watchdog.pid ?? 0,
      exited,
      hasExited: () => exitCode !== undefined,
      stop() {
        if (exitCode !== undefined) return Promise.resolve(exitCode);
        if (stopPromise) return stopPromise;
        opts.log(`${opts.name}: stopping (pid ${servicePid})`);
        try {
          watchdog.kill('SIGTERM');
        } catch {
          /* already gone */
        }
        // This timer is ref'ed on purpose: it keeps the event loop alive while we wait.
        const killTimer = setTimeout(() => {
          opts.log(`${opts.name}: did not stop within ${opts.graceMs + 2000} ms, killing it`);
          killHard();
        }, opts.graceMs + 2000);
        stopPromise = exited.finally(() => clearTimeout(killTimer));
        return stopPromise;
      },
    };

    function killHard() {
      for (const pid of [servicePid, watchdog.pid]) {
        if (pid && isPidAlive(pid)) {
          try {
            process.kill(pid, 'SIGKILL');
          } catch {
            /* raced with exit */
          }
        }
      }
    }

    watchdog.stdout!.setEncoding('utf8');
    watchdog.stdout!.on('data', (chunk: string) => {
      if (servicePid) return;
      buffered += chunk;
      const newline = buffered.indexOf('\n');
      if (newline < 0) return;
      let message: { pid?: number; error?: string };
      try {
        message = JSON.parse(buffered.slice(0, newline)) as { pid?: number; error?: string };
      } catch {
        message = { error: `unexpected watchdog output: ${buffered.slice(0, newline)}` };
      }
      if (message.pid) {
        servicePid = message.pid;
        live.add(handle);
        installHooks();
        resolve(handle);
      } else {
        reject(new Error(`${opts.name}: cannot start ${opts.command}: ${message.error ?? 'unknown error'}`));
      }
    });
    // If the watchdog dies abnormally (e.g. someone SIGKILLs it) its service
    // would be orphaned: kill the service too.
    watchdog.on('exit', (code, signal) => {
      if (servicePid && signal && isPidAlive(servicePid)) {
        try {
          process.kill(servicePid, 'SIGKILL');
        } catch {
          /* gone */
        }
      }
      exitCode = code ?? 128 + (signal ? (osSignals[signal] ?? 1) : 1);
      live.delete(handle);
      if (live.size === 0) uninstallSignalHooks();
      opts.log(`${opts.name}: exited (${signal ? `signal ${signal}` : `code ${code}`})`);
      resolveExit(exitCode);
      if (!servicePid) reject(new Error(`${opts.name}: watchdog exited before starting ${opts.command} (code ${code}, signal ${signal})`));
    });
    watchdog.on('error', (error) => reject(error));
    // Never let an EPIPE on the stdin pipe crash the caller.
    (watchdog.stdin as Socket).on('error', () => undefined);
  });
}

const osSignals = constants.signals as Record<string, number>;

/* ---- caller-side cleanup hooks ---- */

let exitHookInstalled = false;
let signalHooksInstalled = false;
let signalling = false;
const HANDLED_SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

function onExit() {
  // Synchronous context: just ask every watchdog to stop its service. The
  // watchdogs also notice the closed stdin pipe, so this is belt and braces.
  for (const handle of live) {
    try {
      process.kill(handle.watchdogPid, 'SIGTERM');
    } catch {
      /* gone */
    }
  }
}

function onSignal(signal: NodeJS.Signals) {
  // The application handles this signal itself: the shutdown and its order are its call.
  if (process.listeners(signal).some((listener) => listener !== onSignal)) return;
  if (signalling) {
    // Second Ctrl-C: stop waiting, the exit hook and watchdogs finish the job.
    process.exit(128 + (osSignals[signal] ?? 1));
  }
  signalling = true;
  void Promise.allSettled([...live].map((handle) => handle.stop())).then(() => {
    uninstallSignalHooks();
    signalling = false;
    // Re-raise so the default behaviour (exit with 128+n) happens, unless the
    // application installed a handler for this signal meanwhile.
    if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
  });
}

function installHooks() {
  if (!exitHookInstalled) {
    process.on('exit', onExit);
    exitHookInstalled = true;
  }
  if (!signalHooksInstalled) {
    for (const signal of HANDLED_SIGNALS) process.on(signal, onSignal);
    signalHooksInstalled = true;
  }
}

function uninstallSignalHooks() {
  if (!signalHooksInstalled) return;
  for (const signal of HANDLED_SIGNALS) process.removeListener(signal, onSignal);
  signalHooksInstalled = false;
}
