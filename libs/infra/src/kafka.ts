import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createKafka } from '@hookline/kafka';
import { onDataDir, readPortsFile, writePortsFile } from './data-dir';
import { ensureKafkaJars, KAFKA_VERSION } from './kafka-jars';
import { brokerJvmArgs, classDataSharing, javaBin, log4j2Xml, newClusterId, runJava, serverProperties } from './kafka-runtime';
import { tailFile } from './log-files';
import { choosePort, claimPort, releasePort, startWithPortRetry } from './ports';
import { type Log, noopLog, supervise, waitFor } from './process';

export interface StartKafkaOptions {
  /** Everything lives here: `kraft/` (log.dirs), server.properties, log4j2.xml, broker.log. Reused on restart. */
  dataDir: string;
  /** A fixed client (PLAINTEXT) port; the start fails if it is taken. Default: `preferredPort`, else the port of the previous run on this dataDir, when free; else a free port. */
  port?: number;
  /** Used when free (npm start prefers 9092). */
  preferredPort?: number;
  /** KRaft controller port. Same default rule as `port` (without a preferred one). */
  controllerPort?: number;
  /** JVM max heap in MiB (KAFKA_HEAP_OPTS in the environment replaces it). Default 256, see brokerJvmArgs. */
  heapMb?: number;
  /** Default partition count of topics created without an explicit count (num.partitions). Default 1. */
  numPartitions?: number;
  /** Extra/overriding server.properties entries. */
  serverProperties?: Record<string, string | number | boolean>;
  /** Readiness timeout. Default 60 s. */
  startTimeoutMs?: number;
  /** Directory for the jar cache, see ensureKafkaJars. */
  cacheDir?: string;
  log?: (msg: string) => void;
}

export interface KafkaServer {
  /** Bootstrap servers for clients, "127.0.0.1:PORT". */
  brokers: string;
  port: number;
  /** The KRaft controller's port. */
  controllerPort: number;
  /** pid of the broker JVM. */
  pid: number;
  /** The dataDir it was started on (absolute). */
  dataDir: string;
  /** The broker's log4j output. */
  logFile: string;
  /** Resolves with the exit code (or 128+signal) once the broker has exited, after stop() or on its own. */
  exited: Promise<number>;
  /** SIGTERM (controlled shutdown), SIGKILL after ~15 s. Idempotent. */
  stop(): Promise<void>;
}

const STOP_GRACE_MS = 15_000;

/**
 * Starts a single-node Kafka (KRaft combined broker+controller) as a child
 * process and resolves once a client can fetch cluster metadata.
 *
 * The storage under `dataDir` is formatted on first use only; starting again on
 * the same dataDir keeps all topics, messages and committed offsets. Unless
 * given, the ports of the previous run on that dataDir are reused when free, so
 * clients configured with the old address reconnect after a restart.
 */
export function startKafka(opts: StartKafkaOptions): Promise<KafkaServer> {
  const dataDir = resolve(opts.dataDir);
  return onDataDir(dataDir, 'kafka', (releaseDataDir) => startOnDataDir(opts, dataDir, opts.log ?? noopLog, releaseDataDir));
}

async function startOnDataDir(opts: StartKafkaOptions, dataDir: string, log: Log, releaseDataDir: () => void): Promise<KafkaServer> {
  const logDir = join(dataDir, 'kraft');
  const propsFile = join(dataDir, 'server.properties');
  const log4jFile = join(dataDir, 'log4j2.xml');
  const logFile = join(dataDir, 'broker.log');
  const stdoutFile = join(dataDir, 'broker.stdout.log');

  const libsDir = await ensureKafkaJars({ cacheDir: opts.cacheDir, log });
  const classpath = `${libsDir}/*`;

  const previous = readPortsFile(dataDir);
  for (const given of [opts.port, opts.controllerPort]) if (given !== undefined) await claimPort(given); // so no other Hookline process picks it meanwhile
  const fixed = opts.port !== undefined || opts.controllerPort !== undefined;

  return startWithPortRetry({ server: 'kafka', fixed, logFiles: [logFile, stdoutFile], log }, async (attempt) => {
    const first = attempt === 1;
    const port = opts.port ?? (await choosePort(first ? [opts.preferredPort, previous.port] : []));
    const controllerPort = opts.controllerPort ?? (await choosePort(first ? [previous.controllerPort] : []));
    const releasePorts = () => [port, controllerPort].forEach(releasePort);
    if (first && opts.port === undefined && opts.preferredPort !== undefined && port !== opts.preferredPort) {
      log(`Kafka: port ${opts.preferredPort} is taken; using ${port}`);
    }
    let formatted = false;
    try {
      writePortsFile(dataDir, { port, controllerPort });
      writeFileSync(propsFile, serverProperties({ port, controllerPort, logDir, numPartitions: opts.numPartitions ?? 1, extra: opts.serverProperties ?? {} }));
      writeFileSync(log4jFile, log4j2Xml(logFile));

      // Format once. meta.properties is what the broker itself requires; without
      // it any leftovers are from an interrupted format and are discarded.
      if (!existsSync(join(logDir, 'meta.properties'))) {
        await format(logDir, log4jFile, propsFile, classpath, log);
        formatted = true;
      }
      const clusterId = /^cluster\.id=(.+)$/m.exec(readFileSync(join(logDir, 'meta.properties'), 'utf8'))?.[1]?.trim();

      const startedAt = Date.now();
      log(`kafka: starting Kafka ${KAFKA_VERSION} on 127.0.0.1:${port} (controller ${controllerPort}), data in ${dataDir}`);
      const cds = classDataSharing(libsDir);
      const proc = await supervise({
        name: 'kafka',
        command: javaBin(),
        args: [
          ...cds.jvmArgs,
          ...brokerJvmArgs(opts.heapMb),
          '-XX:+ExitOnOutOfMemoryError',
          '-Djava.awt.headless=true',
          `-Dlog4j2.configurationFile=${log4jFile}`,
          `-Dkafka.logs.dir=${dataDir}`,
          '-cp',
          classpath,
          'kafka.Kafka',
          propsFile,
        ],
        cwd: dataDir,
        logFile: stdoutFile,
        stopSignal: 'SIGTERM',
        graceMs: STOP_GRACE_MS,
        log,
      });

      void proc.exited.then((code) => cds.onExit(code));

      const brokers = `127.0.0.1:${port}`;
      const describeLogs = () => `--- tail of ${logFile} ---\n${tailFile(logFile)}\n--- tail of ${stdoutFile} ---\n${tailFile(stdoutFile, 2000)}`;
      const exited = new AbortController();
      void proc.exited.then((code) => exited.abort(new Error(`broker process exited with code ${code}`)));
      try {
        await waitFor(() => probeKafka(brokers, clusterId), {
          timeoutMs: opts.startTimeoutMs ?? 60_000,
          intervalMs: 300,
          description: `Kafka on ${brokers}`,
          signal: exited.signal,
        });
      } catch (error) {
        await proc.stop().catch(() => undefined);
        throw new Error(`kafka: broker did not become ready: ${(error as Error).message}\n${describeLogs()}`, { cause: error });
      }
      log(`kafka: ready on ${brokers} after ${((Date.now() - startedAt) / 1000).toFixed(1)} s (pid ${proc.pid})`);

      return {
        brokers,
        port,
        controllerPort,
        pid: proc.pid,
        dataDir,
        logFile,
        exited: proc.exited,
        stop: async () => {
          await proc.stop();
          releasePorts();
          releaseDataDir();
        },
      };
    } catch (error) {
      releasePorts();
      // A freshly formatted quorum names this attempt's controller port: the next start formats again for its own.
      if (formatted) rmSync(logDir, { recursive: true, force: true });
      throw error;
    }
  });
}

async function format(logDir: string, log4jFile: string, propsFile: string, classpath: string, log: Log): Promise<void> {
  rmSync(logDir, { recursive: true, force: true });
  const clusterId = newClusterId();
  log(`kafka: formatting ${logDir} (cluster id ${clusterId})`);
  await runJava(
    [
      '-Xmx256m',
      `-Dlog4j2.configurationFile=${log4jFile}`,
      '-cp',
      classpath,
      'kafka.tools.StorageTool',
      'format',
      '--standalone',
      `--cluster-id=${clusterId}`,
      '-c',
      propsFile,
    ],
    120_000,
  ).catch((error: unknown) => {
    throw new Error(`kafka: formatting storage failed: ${(error as Error).message}`);
  });
}

/**
 * Ready = an admin client can fetch cluster metadata (a broker of our
 * cluster is registered) and the group coordinator answers: describing a group makes the
 * broker create/load __consumer_offsets, so the first consumer group of a test
 * does not run into "coordinator not available/loading" retries.
 */
async function probeKafka(brokers: string, clusterId: string | undefined): Promise<boolean> {
  const admin = createKafka({ clientId: 'hookline-infra-probe', brokers: [brokers], failFast: true }).admin();
  try {
    await admin.connect();
    const cluster = await admin.describeCluster();
    if (cluster.brokers.length === 0) return false;
    // Another broker holding the port while ours fails to bind it answers too; its cluster id differs.
    if (clusterId && cluster.clusterId !== clusterId) return false;
    await admin.describeGroups(['hookline-infra-readiness']);
    return true;
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}
