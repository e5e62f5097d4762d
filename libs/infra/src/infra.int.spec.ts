/**
 * Integration test: starts a REAL Kafka broker (JVM) and a REAL PostgreSQL
 * server as child processes. The first run downloads the Kafka jars with Maven
 * (cold cache: tens of seconds to minutes).
 */
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createKafka } from '@hookline/kafka';
import { Client } from 'pg';
import { ensureKafkaJars, freePort, KAFKA_VERSION, LOG4J_VERSION, startKafka, startPostgres, waitFor, type KafkaServer, type PostgresServer } from './index';
import { isPidAlive, WATCHDOG_SOURCE } from './process';

const log = process.env.INFRA_DEBUG ? (msg: string) => process.stderr.write(`[infra] ${msg}\n`) : undefined;

let root: string;
const running: Array<{ stop(): Promise<void> }> = [];

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'hookline-infra-'));
  // As root, PostgreSQL runs as an unprivileged account that must be able to enter the temp dir.
  chmodSync(root, 0o755);
});

afterAll(async () => {
  await Promise.allSettled(running.map((s) => s.stop()));
  rmSync(root, { recursive: true, force: true });
}, 60_000);

function track<T extends { stop(): Promise<void> }>(server: T): T {
  running.push(server);
  return server;
}

async function readAll(brokers: string, topic: string, groupId: string, expected: number): Promise<Array<{ key: string; value: string; offset: string }>> {
  const kafka = createKafka({ clientId: 'infra-test', brokers: [brokers] });
  const consumer = kafka.consumer({ groupId });
  const seen: Array<{ key: string; value: string; offset: string }> = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        seen.push({ key: message.key?.toString() ?? '', value: message.value?.toString() ?? '', offset: message.offset });
      },
    });
    await waitFor(() => seen.length >= expected, { timeoutMs: 30_000, description: `${expected} message(s) on ${topic}` });
    return seen;
  } finally {
    await consumer.disconnect();
  }
}

describe('ensureKafkaJars', () => {
  it(
    'downloads the pinned Kafka runtime once and is free afterwards',
    async () => {
      const libs = await ensureKafkaJars({ log });
      const jars = readdirSync(libs);
      expect(jars).toContain(`kafka_2.13-${KAFKA_VERSION}.jar`);
      expect(jars).toContain(`kafka-server-${KAFKA_VERSION}.jar`);
      expect(jars).toContain(`log4j-slf4j-impl-${LOG4J_VERSION}.jar`);
      expect(jars).toContain(`log4j-core-${LOG4J_VERSION}.jar`);

      const started = Date.now();
      await expect(ensureKafkaJars()).resolves.toBe(libs);
      expect(Date.now() - started).toBeLessThan(500);
    },
    15 * 60_000,
  );
});

describe('startKafka', () => {
  it(
    'produces and consumes, and keeps topics, messages and offsets across a restart on the same dataDir',
    async () => {
      const dataDir = join(root, 'kafka');
      const topic = 'infra-test';
      const payload = `hello-${process.pid}-${Date.now()}`;

      const first: KafkaServer = track(await startKafka({ dataDir, log }));
      expect(first.brokers).toBe(`127.0.0.1:${first.port}`);
      expect(isPidAlive(first.pid)).toBe(true);

      const kafka = createKafka({ clientId: 'infra-test', brokers: [first.brokers] });
      const admin = kafka.admin();
      await admin.connect();
      await expect(admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true })).resolves.toBe(true);
      await admin.disconnect();

      const producer = kafka.producer();
      await producer.connect();
      const [meta] = await producer.send({ topic, acks: -1, messages: [{ key: 'k1', value: payload }] });
      await producer.disconnect();
      expect(meta?.baseOffset).toBe('0');

      await expect(readAll(first.brokers, topic, 'group-before', 1)).resolves.toEqual([{ key: 'k1', value: payload, offset: '0' }]);

      await first.stop();
      expect(isPidAlive(first.pid)).toBe(false);
      await first.stop(); // idempotent

      const second: KafkaServer = track(await startKafka({ dataDir, log }));
      expect(second.pid).not.toBe(first.pid);
      expect(second.port).toBe(first.port); // same address: existing clients can reconnect

      const admin2 = createKafka({ clientId: 'infra-test', brokers: [second.brokers] }).admin();
      await admin2.connect();
      try {
        expect(await admin2.listTopics()).toContain(topic);
        // the committed offset of the consumer group survived too
        const offsets = await admin2.fetchOffsets({ groupId: 'group-before', topics: [topic] });
        expect(offsets[0]?.partitions[0]?.offset).toBe('1');
      } finally {
        await admin2.disconnect();
      }
      await expect(readAll(second.brokers, topic, 'group-after', 1)).resolves.toEqual([{ key: 'k1', value: payload, offset: '0' }]);

      await second.stop();
      expect(isPidAlive(second.pid)).toBe(false);
    },
    5 * 60_000,
  );

  it(
    'fails with the broker log when the port is taken',
    async () => {
      const port = await freePort();
      const blocker = createServer().listen(port, '127.0.0.1');
      try {
        await new Promise((r) => blocker.once('listening', r));
        await expect(startKafka({ dataDir: join(root, 'kafka-busy'), port, startTimeoutMs: 60_000, log })).rejects.toThrow(
          /broker did not become ready[\s\S]*tail of .*broker\.log/,
        );
      } finally {
        blocker.close();
      }
    },
    3 * 60_000,
  );
});

describe('startPostgres', () => {
  it(
    'serves queries, creates databases and keeps data across a restart',
    async () => {
      const dataDir = join(root, 'postgres');
      const first: PostgresServer = track(await startPostgres({ dataDir, log }));
      expect(first.url).toBe(`postgres://postgres:postgres@127.0.0.1:${first.port}/postgres`);

      const client = new Client({ connectionString: first.url });
      await client.connect();
      try {
        const { rows } = await client.query<{ one: number }>('select 1 as one');
        expect(rows).toEqual([{ one: 1 }]);
      } finally {
        await client.end();
      }

      const dbUrl = await first.createDatabase('infra_test');
      expect(dbUrl).toBe(`postgres://postgres:postgres@127.0.0.1:${first.port}/infra_test`);
      await expect(first.createDatabase('infra_test')).resolves.toBe(dbUrl); // idempotent
      await expect(first.createDatabase('bad"name')).rejects.toThrow(/invalid database name/);

      const db = new Client({ connectionString: dbUrl });
      await db.connect();
      try {
        expect((await db.query<{ db: string }>('select current_database() as db')).rows[0]?.db).toBe('infra_test');
        await db.query('create table notes (body text not null)');
        await db.query("insert into notes values ('survives restarts')");
      } finally {
        await db.end();
      }

      await first.stop();
      expect(isPidAlive(first.pid)).toBe(false);

      const second: PostgresServer = track(await startPostgres({ dataDir, log }));
      expect(second.port).toBe(first.port);
      const again = new Client({ connectionString: dbUrl });
      await again.connect();
      try {
        expect((await again.query<{ body: string }>('select body from notes')).rows).toEqual([{ body: 'survives restarts' }]);
      } finally {
        await again.end();
      }
      await second.stop();
      expect(isPidAlive(second.pid)).toBe(false);
    },
    3 * 60_000,
  );
});

describe('orphan protection', () => {
  it('the watchdog stops its service when the process that started it is killed with SIGKILL', async () => {
    // parent (killed with -9) -> watchdog -> `sleep 600` standing in for java/postgres
    const parentSource = `
        const { spawn } = require('node:child_process');
        const w = spawn(process.execPath, ['-e', process.env.WATCHDOG_SOURCE], { stdio: ['pipe', 'pipe', 'inherit'] });
        w.stdin.write(JSON.stringify({ command: 'sleep', args: ['600'], logFile: process.env.LOG_FILE,
          env: { PATH: process.env.PATH }, stopSignal: 'SIGTERM', graceMs: 2000 }) + '\\n');
        w.stdout.pipe(process.stdout);
      `;
    const parent = spawn(process.execPath, ['-e', parentSource], {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { PATH: process.env.PATH, WATCHDOG_SOURCE, LOG_FILE: join(root, 'watchdog.log') },
    });
    let out = '';
    parent.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
    const servicePid = await waitFor(() => /"pid":(\d+)/.exec(out)?.[1], { timeoutMs: 10_000, description: 'service pid' }).then(Number);
    expect(isPidAlive(servicePid)).toBe(true);

    parent.kill('SIGKILL');
    await waitFor(() => !isPidAlive(servicePid), { timeoutMs: 10_000, description: `pid ${servicePid} to exit` });
    expect(existsSync(join(root, 'watchdog.log'))).toBe(true);
  }, 30_000);
});
