import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { startInfra } from '@hookline/infra';
import { passThroughEnv, Stack, type SupervisionEvent } from '@hookline/stack';
import { label, printBanner } from './banner';
import { type InfraEvent, InfraSupervisor } from './infra-supervision';
import { ROLE_VAR } from './role';
import {
  adminToken,
  checkPortsFree,
  dataDirectory,
  databaseName,
  masterKey,
  postgresConnections,
  servicePorts,
  START_ONLY_VARS,
  startInstances,
} from './settings';
import { UsageError } from '../flags';
import { bold, describeExit, dim, fail, green, indent, rel, say, secs, warn } from '../terminal';

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/**
 * The child process of `npm start` (see main.ts): starts Kafka, PostgreSQL and
 * the services, prints the banner, restarts whatever exits on its own, and on a
 * stop request stops the services first, then Kafka and PostgreSQL.
 */
export async function runStack(args: string[] = []): Promise<void> {
  const dataDir = dataDirectory();

  // The launcher's end of stdin closes when it wants us to stop, or when it dies.
  let stopRequested = false;
  let stopNow: (why: string) => void = () => undefined;
  const stopSignal = new Promise<string>((resolve) => {
    stopNow = (why) => {
      if (!stopRequested) {
        stopRequested = true;
        resolve(why);
      }
    };
  });
  process.stdin.on('end', () => stopNow('stop requested'));
  process.stdin.on('close', () => stopNow('stop requested'));
  process.stdin.on('error', () => stopNow('stop requested'));
  process.stdin.resume();

  // Someone may signal this process directly. @hookline/infra leaves a signal
  // the application handles to the application, so these handlers alone
  // decide, and the order below (services, then their broker and database) holds.
  let forced = false;
  const onSignal = (signal: string) => {
    if (stopRequested) {
      if (forced) return;
      forced = true;
      warn(`${signal} again: exiting now; services, Kafka and PostgreSQL get a stop signal each`);
      process.exit(1); // the exit hook of @hookline/infra signals every watchdog
    }
    stopNow(signal);
  };
  for (const signal of SIGNALS) process.on(signal, onSignal);

  const started: { infra?: InfraSupervisor; stack?: Stack } = {};
  // Set first thing in shutdown: from then on an exit is expected, never restarted nor reported.
  let shuttingDown = false;

  async function shutdown(code: number): Promise<void> {
    if (shuttingDown) return;
    shuttingDown = true;
    const { infra, stack } = started;
    if (stack) {
      const t0 = Date.now();
      say('stopping the services (they finish their in-flight work first) ...');
      const results = await stack.stop();
      // 0, or 128+SIGINT/SIGTERM: a Nest app re-raises the signal after a graceful close.
      for (const r of results.filter((r) => r.error !== undefined || (r.code !== undefined && ![0, 130, 143].includes(r.code)))) {
        const what = r.error !== undefined ? `stop failed: ${r.error}` : `exited with ${describeExit(r.code as number)} on stop`;
        warn(`${label(r.service, r.instance)}: ${what}; see ${rel(stack.logFile(r.service, r.instance))}`);
      }
      say(`services stopped (${secs(t0)})`);
    }
    const servers = infra?.running ?? [];
    if (infra && servers.length) {
      const t1 = Date.now();
      say(`stopping ${servers.join(' and ')} ...`);
      await infra.stop().catch((e: Error) => warn(e.message));
      say(`stopped (${secs(t1)})`);
    }
    if (stack || servers.length) say(code === 0 ? green('all stopped') : 'all stopped');
    process.exit(code);
  }

  /** Runs one start-up step, but gives up as soon as a stop is requested. */
  async function step<T>(promise: Promise<T>): Promise<T> {
    const result = await Promise.race([
      promise.then((value) => ({ value, stopped: undefined })),
      stopSignal.then((why) => ({ value: undefined, stopped: why })),
    ]);
    if (result.stopped !== undefined) {
      // Let the step finish (a half-started process must be stopped too), then stop everything.
      say('stop requested during start-up');
      await promise.catch(() => undefined);
      await shutdown(130);
    }
    return result.value as T;
  }

  // Server output is detail (dimmed); startInfra's own notes (ports taken, servers from the environment) are not.
  const infraLog = (msg: string) => {
    if (/: (stopping|exited)/.test(msg)) return; // shutdown chatter; an unexpected exit is reported below
    say(/^(kafka|postgres): /.test(msg) ? dim(msg) : msg);
  };

  try {
    const t0 = Date.now();
    const logDir = join(dataDir, 'logs');
    // .data too: the admin token and master key are kept there before startInfra runs (which opens it to PostgreSQL's account as root).
    mkdirSync(logDir, { recursive: true });

    const token = adminToken(dataDir);
    const ports = servicePorts();
    const instances = startInstances(args);
    await checkPortsFree(ports, instances);

    const postgresSettings = { max_connections: postgresConnections(instances) };
    const infra = await step(
      startInfra({
        dataDir,
        preferredPorts: { kafka: 9092, postgres: 5432 },
        postgresSettings,
        useEnvironment: true,
        log: infraLog,
      }).then((value) => {
        // Once started (an exit during the start is startInfra's business: it retries or reports it).
        started.infra = new InfraSupervisor(value, { postgresSettings, log: infraLog, onEvent: (event) => void (shuttingDown || reportInfra(event)) });
        return value;
      }),
    );

    const stack = new Stack({
      brokers: infra.brokers,
      databaseUrl: infra.databaseUrl,
      database: databaseName(infra.databaseUrl),
      topicPrefix: process.env.HOOKLINE_TOPIC_PREFIX ?? '',
      ports,
      instances,
      token,
      masterKey: masterKey(dataDir),
      logDir,
      env: {
        ...passThroughEnv([ROLE_VAR, ...START_ONLY_VARS]),
        HOOKLINE_ALLOW_PRIVATE_TARGETS: process.env.HOOKLINE_ALLOW_PRIVATE_TARGETS ?? 'true',
      },
      restart: { onEvent: (event) => void (shuttingDown || reportService(stack, event)) },
    });
    started.stack = stack;
    const processes = stack.all().map((p) => label(p.service, p.instance));
    say(`starting ${processes.join(', ')} (logs in ${rel(logDir)}) ...`);
    await step(stack.start());

    const hasDocs = await fetch(`${stack.url('admin-api')}/docs`).then(
      (r) => r.ok,
      () => false,
    );
    printBanner({ stack, infra, dataDir, hasDocs, startedIn: secs(t0) });

    const why = await stopSignal;
    if (why !== 'stop requested') say(`${why}: stopping`);
    await shutdown(0);
  } catch (error) {
    if (shuttingDown) return;
    const usage = error instanceof UsageError;
    fail(usage ? (error as Error).message : `start failed: ${(error as Error).message}`);
    await shutdown(usage ? 2 : 1);
  }
}

const clock = () => new Date().toTimeString().slice(0, 8);
const seconds = (ms: number) => (ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`);

/** One line per exit and restart of a service, and the log's last lines when it is left down. */
function reportService(stack: Stack, event: SupervisionEvent): void {
  const name = bold(label(event.service, event.instance));
  if (event.type === 'exited') {
    fail(`${name} exited (${describeExit(event.code)}) at ${clock()}; restarting it in ${seconds(event.restartInMs)} (crash ${event.crashes} within a minute)`);
  } else if (event.type === 'restarted') {
    say(`${name} restarted (pid ${event.pid}) and ready at ${clock()}`);
  } else if (event.type === 'restart-failed') {
    warn(`${name} did not come back: ${event.error.message.split('\n')[0]}`);
  } else {
    fail(
      `${name} exited (${describeExit(event.code)}) at ${clock()}: ${event.crashes} crashes within ${seconds(event.windowMs)}, so it is left down until npm start runs again; the other services keep running`,
    );
    const log = stack.logFile(event.service, event.instance);
    fail(`last lines of ${rel(log)}:\n${indent(stack.logTail(event.service, 15, event.instance))}`);
  }
}

/** One line per exit and restart of Kafka or PostgreSQL. */
function reportInfra(event: InfraEvent): void {
  const name = bold(event.server);
  if (event.type === 'exited') {
    fail(
      `${name} exited (${describeExit(event.code)}) at ${clock()}; restarting it on the same data and port in ${seconds(event.restartInMs)}. See ${rel(event.logFile)}`,
    );
  } else if (event.type === 'restarted') {
    say(`${name} restarted on ${event.address} (pid ${event.pid}) at ${clock()}; the services reconnect on their own`);
  } else if (event.type === 'restart-failed') {
    warn(`${name} did not come back: ${event.error.message.split('\n')[0]}`);
  } else {
    fail(
      `${name} exited (${describeExit(event.code)}) at ${clock()}: ${event.crashes} crashes within ${seconds(event.windowMs)}, so it is left down; the services cannot work without it. See ${rel(event.logFile)}`,
    );
  }
}
