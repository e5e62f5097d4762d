/**
 * Integration test: `npm start`'s supervisor of its own servers, on a REAL
 * PostgreSQL and Kafka in a temporary folder, each killed with -9.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Infra, startInfra, waitFor } from '@hookline/infra';
import { createKafka } from '@hookline/kafka';
import { Client } from 'pg';
import { type InfraEvent, InfraSupervisor } from './infra-supervision';

async function query(url: string, sql: string): Promise<unknown[]> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
  await client.connect();
  try {
    return (await client.query(sql)).rows;
  } finally {
    await client.end();
  }
}

describe(InfraSupervisor.name, () => {
  let dataDir: string;
  let infra: Infra;
  let supervisor: InfraSupervisor;
  const events: InfraEvent[] = [];

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'hookline-infra-supervision-'));
    // startInfra ignores KAFKA_BROKERS / DATABASE_URL unless asked (useEnvironment), so these servers are this test's own.
    infra = await startInfra({ dataDir });
    supervisor = new InfraSupervisor(infra, { log: () => undefined, onEvent: (event) => events.push(event), initialDelayMs: 200 });
  }, 120_000);

  afterAll(async () => {
    await supervisor?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }, 60_000);

  it('starts a killed PostgreSQL again on the same port and data: clients reconnect and find what was written', async () => {
    const url = infra.databaseUrl;
    await query(url, 'CREATE TABLE kept (v text); INSERT INTO kept VALUES ($$before the crash$$)');
    const pid = infra.postgres!.pid;
    process.kill(pid, 'SIGKILL');

    await waitFor(() => events.some((e) => e.type === 'restarted' && e.server === 'PostgreSQL'), { timeoutMs: 60_000, description: 'PostgreSQL restarted' });
    expect(events.filter((e) => e.server === 'PostgreSQL').map((e) => e.type)).toEqual(['exited', 'restarted']);
    const restarted = events.find((e) => e.type === 'restarted' && e.server === 'PostgreSQL') as Extract<InfraEvent, { type: 'restarted' }>;
    expect(restarted.pid).not.toBe(pid);
    expect(restarted.address).toBe(`127.0.0.1:${infra.postgres!.port}`);
    expect(await query(url, 'SELECT v FROM kept')).toEqual([{ v: 'before the crash' }]);
  }, 90_000);

  it('starts a killed Kafka broker again on the same port and data: the topic and its messages are still there', async () => {
    const kafka = createKafka({ clientId: 'infra-supervision-test', brokers: [infra.brokers] });
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'kept', numPartitions: 1 }], waitForLeaders: true });
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic: 'kept', acks: -1, messages: [{ value: 'before the crash' }] });
    await Promise.all([producer.disconnect(), admin.disconnect()]);

    process.kill(infra.kafka!.pid, 'SIGKILL');
    await waitFor(() => events.some((e) => e.type === 'restarted' && e.server === 'Kafka'), { timeoutMs: 90_000, description: 'Kafka restarted' });
    expect(events.filter((e) => e.server === 'Kafka').map((e) => e.type)).toEqual(['exited', 'restarted']);

    const consumer = kafka.consumer({ groupId: 'infra-supervision-test' });
    const seen: string[] = [];
    await consumer.connect();
    try {
      await consumer.subscribe({ topic: 'kept', fromBeginning: true });
      await consumer.run({ eachMessage: async ({ message }) => void seen.push(message.value?.toString() ?? '') });
      await waitFor(() => seen.length >= 1, { timeoutMs: 30_000, description: 'the message written before the crash' });
      expect(seen).toEqual(['before the crash']);
    } finally {
      await consumer.disconnect();
    }
  }, 150_000);
});
