/**
 * Integration test: two infrastructures at once, as two test runs (or a test
 * run beside npm start) on one machine start them. Starts four REAL servers.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { createKafka } from '@hookline/kafka';
import { Client } from 'pg';
import { freePort, type Infra, releasePort, startInfra, startKafka, startPostgres, waitFor } from './index';
import { DATA_DIR_LOCK, readPortsFile } from './data-dir';
import { lockFile, processStartTime } from './lock';
import { isPidAlive } from './process';

const log = process.env.INFRA_DEBUG ? (msg: string) => process.stderr.write(`[infra] ${msg}\n`) : undefined;

async function roundTrip(brokers: string, payload: string): Promise<string[]> {
  const kafka = createKafka({ clientId: 'start-infra-test', brokers: [brokers] });
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.createTopics({ topics: [{ topic: 'round-trip', numPartitions: 1 }], waitForLeaders: true });
  } finally {
    await admin.disconnect();
  }
  const producer = kafka.producer();
  await producer.connect();
  await producer.send({ topic: 'round-trip', acks: -1, messages: [{ value: payload }] });
  await producer.disconnect();

  const consumer = kafka.consumer({ groupId: 'round-trip' });
  const seen: string[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topic: 'round-trip', fromBeginning: true });
    await consumer.run({ eachMessage: async ({ message }) => void seen.push(message.value?.toString() ?? '') });
    await waitFor(() => seen.length >= 1, { timeoutMs: 30_000, description: `a message on ${brokers}` });
    return seen;
  } finally {
    await consumer.disconnect();
  }
}

async function dataDirectoryOf(url: string): Promise<string> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('create table marker (run text)');
    return (await client.query<{ dir: string }>("select current_setting('data_directory') as dir")).rows[0]!.dir;
  } finally {
    await client.end();
  }
}

const inside = (dir: string, path: string) => !relative(dir, path).startsWith('..');

describe('startInfra', () => {
  it(
    'starts two infrastructures at once that share no port or folder, and both work, even when both prefer the same ports',
    async () => {
      // Free ports both prefer. The second starts once the first has chosen its ports and, still formatting its
      // storage, listens on none yet: only the first one's reservations keep the second off them. (A lost bind
      // would be retried on other ports and go unnoticed, so the log must show none.)
      const preferredPorts = { kafka: await freePort(), postgres: await freePort() };
      Object.values(preferredPorts).forEach(releasePort);
      const lines: string[] = [];
      const record = (msg: string) => {
        lines.push(msg);
        log?.(msg);
      };
      const first = startInfra({ preferredPorts, log: record });
      await waitFor(() => lines.some((line) => line.startsWith('kafka: formatting')), {
        timeoutMs: 60_000,
        intervalMs: 5,
        description: 'the first Kafka to format',
      }).catch(async (error: unknown) => {
        await first.then((infra) => infra.stop()).catch(() => undefined);
        throw error;
      });
      const started = await Promise.allSettled([first, startInfra({ preferredPorts, log: record })]);
      const infras = started.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
      try {
        expect(started.map((r) => (r.status === 'rejected' ? String(r.reason) : 'ok'))).toEqual(['ok', 'ok']);
        const [a, b] = infras as [Infra, Infra];

        const ports = infras.flatMap((i) => [i.kafka!.port, i.kafka!.controllerPort, i.postgres!.port]);
        expect(new Set(ports).size).toBe(6);
        expect(lines.filter((line) => /was taken before/.test(line))).toEqual([]);
        // Each preferred port went to one of them.
        expect(infras.filter((i) => i.kafka!.port === preferredPorts.kafka)).toHaveLength(1);
        expect(infras.filter((i) => i.postgres!.port === preferredPorts.postgres)).toHaveLength(1);
        expect(inside(a.dataDir, b.dataDir) || inside(b.dataDir, a.dataDir)).toBe(false);
        for (const i of infras) {
          expect(i.brokers).toBe(`127.0.0.1:${i.kafka!.port}`);
          expect(inside(i.dataDir, i.kafka!.dataDir) && inside(i.dataDir, i.postgres!.dataDir)).toBe(true);
        }

        // Each broker is its own cluster: a message produced on one is read back from it.
        const [onA, onB] = await Promise.all([roundTrip(a.brokers, 'to a'), roundTrip(b.brokers, 'to b')]);
        expect(onA).toEqual(['to a']);
        expect(onB).toEqual(['to b']);

        // Each URL reaches the server that keeps its data in its own folder.
        const [dirA, dirB] = await Promise.all([dataDirectoryOf(a.databaseUrl), dataDirectoryOf(b.databaseUrl)]);
        expect(inside(a.dataDir, dirA)).toBe(true);
        expect(inside(b.dataDir, dirB)).toBe(true);
      } finally {
        await Promise.all(infras.map((i) => i.stop()));
      }
      for (const i of infras) {
        expect(isPidAlive(i.kafka!.pid) || isPidAlive(i.postgres!.pid)).toBe(false);
        expect(existsSync(i.dataDir)).toBe(false); // temporary folders go with stop()
      }
    },
    5 * 60_000,
  );
});

describe('one data folder, two starts', () => {
  let dir: string;
  let other: ChildProcess | undefined;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'hookline-infra-'));
    chmodSync(dir, 0o755); // as root, PostgreSQL runs as an unprivileged account that must enter it
  });
  afterEach(() => {
    other?.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it(
    'lets the first PostgreSQL start on a folder proceed and refuses the second with the holder, instead of a failed initdb',
    async () => {
      const dataDir = join(dir, 'postgres');
      const results = await Promise.allSettled([startPostgres({ dataDir, log }), startPostgres({ dataDir, log })]);
      const servers = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
      try {
        expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
        const refused = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
        expect(String(refused.reason)).toMatch(/postgres: .*postgres is in use by this process/);
        await expect(dataDirectoryOf(servers[0]!.url)).resolves.toBe(join(dataDir, 'pgdata'));
      } finally {
        await Promise.all(servers.map((s) => s.stop()));
      }
      // Released on stop: the folder starts again.
      const again = await startPostgres({ dataDir, log });
      await again.stop();
    },
    3 * 60_000,
  );

  it('refuses a folder another live process uses, naming it', async () => {
    other = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    const dataDir = join(dir, 'postgres');
    mkdirSync(dataDir);
    writeFileSync(lockFile(dataDir, DATA_DIR_LOCK, other.pid!), processStartTime(other.pid!));
    await expect(startPostgres({ dataDir, log })).rejects.toThrow(`postgres: ${dataDir} is in use by process ${other.pid}`);
    expect(existsSync(join(dataDir, 'pgdata'))).toBe(false); // nothing touched
  });
});

describe('a port taken between choosing and binding it', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'hookline-infra-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it(
    'Kafka starts again on other ports and answers there',
    async () => {
      const dataDir = join(dir, 'kafka');
      const starting = startKafka({ dataDir, log });
      // The broker formats its storage and boots its JVM for seconds after writing the ports it chose: take one meanwhile.
      const chosen = await waitFor(() => readPortsFile(dataDir).port, { timeoutMs: 60_000, intervalMs: 5, description: 'the chosen ports' });
      const blocker = createServer().listen(chosen, '127.0.0.1');
      await new Promise((resolve) => blocker.once('listening', resolve));
      try {
        const kafka = await starting;
        try {
          expect(kafka.port).not.toBe(chosen);
          await expect(roundTrip(kafka.brokers, 'after a retry')).resolves.toEqual(['after a retry']);
        } finally {
          await kafka.stop();
        }
      } finally {
        blocker.close();
      }
    },
    3 * 60_000,
  );
});
