import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { findRepoRoot, type Infra, startInfra } from '@hookline/infra';
import { passThroughEnv, SERVICES, Stack } from '@hookline/stack';
import { printBanner } from './banner';
import { ROLE_VAR } from './role';
import { adminToken, checkPortsFree, databaseName, masterKey, servicePorts } from './settings';
import { bold, describeExit, dim, fail, green, indent, rel, say, secs, warn } from '../terminal';

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/**
 * The child process of `npm start` (see main.ts): starts Kafka, PostgreSQL and
 * the six services, prints the banner, and on a stop request stops the
 * services first, then Kafka and PostgreSQL.
 */
export async function runStack(): Promise<void> {
  const dataDir = join(findRepoRoot(), '.data');

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

  const started: { infra?: Infra; stack?: Stack } = {};
  let shuttingDown = false;
  const exitedBefore = new Set<string>(); // services that died on their own before the shutdown

  async function shutdown(code: number): Promise<void> {
    if (shuttingDown) return;
    shuttingDown = true;
    const { infra, stack } = started;
    if (stack) {
      const t0 = Date.now();
      say('stopping the services (they finish their in-flight work first) ...');
      const codes = await Promise.all(
        SERVICES.map((name) =>
          stack.stopService(name).then(
            (exit) => ({ name, exit, error: undefined }),
            (e: Error) => ({ name, exit: undefined, error: e.message }),
          ),
        ),
      );
      // 0, or 128+SIGINT/SIGTERM: a Nest app re-raises the signal after a graceful close.
      const bad = codes.filter((c) => c.error || (c.exit !== undefined && ![0, 130, 143].includes(c.exit) && !exitedBefore.has(c.name)));
      for (const c of bad)
        warn(`${c.name}: ${c.error ? `stop failed: ${c.error}` : `exited with ${describeExit(c.exit!)} on stop`}; see ${rel(stack.logFile(c.name))}`);
      say(`services stopped (${secs(t0)})`);
    }
    const servers = [infra?.kafka && 'Kafka', infra?.postgres && 'PostgreSQL'].filter(Boolean);
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
    await checkPortsFree(ports);

    const infra = await step(
      startInfra({
        dataDir,
        preferredPorts: { kafka: 9092, postgres: 5432 },
        postgresSettings: { max_connections: 200 },
        useEnvironment: true,
        log: infraLog,
      }).then((value) => (started.infra = value)),
    );
    // Once started (an exit during the start is startInfra's business: it retries or reports it).
    for (const [which, server] of [
      ['Kafka', infra.kafka],
      ['PostgreSQL', infra.postgres],
    ] as const) {
      void server?.exited.then((code) => {
        if (!shuttingDown) fail(`${which} exited unexpectedly (${describeExit(code)}); the services cannot work without it. See ${rel(server.logFile)}`);
      });
    }

    const stack = new Stack({
      brokers: infra.brokers,
      databaseUrl: infra.databaseUrl,
      database: databaseName(infra.databaseUrl),
      topicPrefix: process.env.HOOKLINE_TOPIC_PREFIX ?? '',
      ports,
      token,
      masterKey: masterKey(dataDir),
      logDir,
      env: {
        ...passThroughEnv([ROLE_VAR]),
        HOOKLINE_ALLOW_PRIVATE_TARGETS: process.env.HOOKLINE_ALLOW_PRIVATE_TARGETS ?? 'true',
        HOOKLINE_TOPIC_PARTITIONS: process.env.HOOKLINE_TOPIC_PARTITIONS ?? '6',
      },
    });
    started.stack = stack;
    say(`starting ${SERVICES.join(', ')} (logs in ${rel(logDir)}) ...`);
    await step(stack.start());

    for (const name of SERVICES) {
      void stack.processOf(name)?.exited.then((code) => {
        if (shuttingDown) return;
        exitedBefore.add(name);
        fail(`${bold(name)} exited unexpectedly (${describeExit(code)}). The other services keep running; restart with npm start.`);
        fail(`last lines of ${rel(stack.logFile(name))}:\n${indent(stack.logTail(name, 15))}`);
      });
    }

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
    fail(`start failed: ${(error as Error).message}`);
    await shutdown(1);
  }
}
