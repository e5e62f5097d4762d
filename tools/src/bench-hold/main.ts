#!/usr/bin/env node
/*
 * `npm run bench:hold`: a long pause under load. On its own Kafka and
 * PostgreSQL and a fresh stack, an endpoint is paused, a burst of events is
 * sent to it and held for a while, then the endpoint is resumed. Prints how
 * long holding and draining took, the schedule's size in PostgreSQL while it
 * held them, and whether every delivery arrived once, in creation order, on
 * its first attempt. The numbers go to BENCHMARKS.md ("Holding a paused endpoint").
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client } from 'pg';
import { Stack } from '@hookline/stack';
import { codeVersion, machineInfo } from '../bench/measure';
import { World } from '../faults/world';
import { countOption } from '../flags';

const log = (msg: string) => void process.stderr.write(`[bench:hold] ${msg}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const option = (name: string, fallback: number) => countOption(name, fallback);

async function until(what: string, timeoutMs: number, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(250);
  }
}

async function main(): Promise<void> {
  const events = option('events', 10_000);
  const holdS = option('hold', 180);
  const concurrency = option('concurrency', 1);
  const arrived: string[] = [];
  const receiver = createServer((req: IncomingMessage, res: ServerResponse) => {
    req.resume();
    req.on('end', () => {
      arrived.push(String(req.headers['webhook-id']));
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/held`;
  const world = await World.start(log);
  const stack = new Stack({
    brokers: world.brokers,
    databaseUrl: world.databaseUrl,
    env: { HOOKLINE_ALLOW_PRIVATE_TARGETS: 'true', DISPATCHER_ENDPOINT_CONCURRENCY: String(concurrency) },
  });
  let opened: Client | undefined;
  try {
    await stack.start();
    const created = await stack.api<{ id: string }>('admin-api', 'POST', '/v1/tenants/bench/endpoints', { url, eventTypes: ['*'] });
    const endpointId = created.body.id;
    await stack.api('admin-api', 'POST', `/v1/tenants/bench/endpoints/${endpointId}/pause`, { reason: 'bench' });
    const sql = (opened = new Client({ connectionString: stack.databaseUrl }));
    await sql.connect();
    const held = async () => Number((await sql.query(`SELECT count(*) AS n FROM retry_schedule WHERE due_at IS NULL`)).rows[0].n);

    const ids = Array.from({ length: events }, (_, i) => `evt_hold_${String(i).padStart(6, '0')}`);
    const sendStart = Date.now();
    for (let start = 0; start < events; start += 500) {
      const batch = ids.slice(start, start + 500).map((id) => ({ tenantId: 'bench', type: 'bench.tick', id, data: {} }));
      const res = await stack.api('ingest', 'POST', '/v1/events/batch', { events: batch });
      if (res.status !== 202) throw new Error(`ingest answered ${res.status}`);
    }
    const sentMs = Date.now() - sendStart;
    await until(`${events} held rows`, 600_000, async () => (await held()) === events);
    const heldMs = Date.now() - sendStart;
    const size = (await sql.query(`SELECT pg_total_relation_size('retry_schedule') AS bytes, pg_relation_size('retry_schedule_held') AS index_bytes`)).rows[0];
    log(`${events} held after ${heldMs} ms; holding for ${holdS} s`);
    await sleep(holdS * 1000);
    const leaked = arrived.length;
    const stillHeld = await held();

    const resumeAt = Date.now();
    await stack.api('admin-api', 'POST', `/v1/tenants/bench/endpoints/${endpointId}/resume`);
    await until(`${events} deliveries`, 1_800_000, async () => arrived.length >= events);
    const drainMs = Date.now() - resumeAt;
    await sleep(3000);
    const attempts = Number((await sql.query(`SELECT count(*) AS n FROM attempts WHERE endpoint_id = $1`, [endpointId])).rows[0].n);
    const firstAttempts = Number((await sql.query(`SELECT count(*) AS n FROM attempts WHERE endpoint_id = $1 AND attempt_number = 1`, [endpointId])).rows[0].n);
    const inOrder = arrived.every((id, i) => id === ids[i]);
    const distinct = new Set(arrived).size;
    const m = machineInfo();
    process.stdout.write(
      [
        `npm run bench:hold -- --events ${events} --hold ${holdS} --concurrency ${concurrency}`,
        `${new Date().toISOString()}, commit ${codeVersion()}, ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB, Node ${m.node}`,
        `sent ${events} events in ${sentMs} ms; all held after ${heldMs} ms (rows without a due time: ${events})`,
        `retry_schedule while holding: ${(Number(size.bytes) / 1048576).toFixed(1)} MiB with its indexes, retry_schedule_held index ${(Number(size.index_bytes) / 1048576).toFixed(2)} MiB`,
        `after ${holdS} s held: ${leaked} requests reached the endpoint, ${stillHeld} rows still held`,
        `resumed: ${arrived.length} requests (${distinct} distinct) in ${drainMs} ms = ${Math.round((events * 1000) / drainMs)}/s; in creation order: ${inOrder}`,
        `attempts logged: ${attempts} (first attempts: ${firstAttempts})`,
      ].join('\n') + '\n',
    );
  } finally {
    await opened?.end().catch(() => undefined);
    await stack.stop();
    await world.stop();
    receiver.close();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    log(`FAILED: ${error instanceof Error ? error.stack : String(error)}`);
    process.exit(1);
  },
);
