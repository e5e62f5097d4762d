#!/usr/bin/env node
/*
 * `npm run bench:ingest`: the per-event ingest path alone. On its own Kafka and
 * PostgreSQL, ingest (admin-api only to create a tenant API key, then
 * stopped, with the rest of the stack) takes N single-event POSTs with C in
 * flight. Prints accepted events/s, the answer time, CPU seconds per 1,000
 * events of ingest, PostgreSQL and Kafka, and what each event cost in
 * PostgreSQL transactions and Kafka record batches. The numbers go to
 * BENCHMARKS.md ("Per-event ingest").
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { passThroughEnv, Stack, type ServiceName } from '@hookline/stack';
import { Pool } from 'undici';
import { now } from '../bench/counters';
import { cpuReport, cpuSnapshot, type WatchedProcess } from '../bench/cpu';
import { codeVersion, machineInfo, percentiles, round, sleep } from '../bench/measure';
import { pgQuery } from '../bench/servers';
import { World } from '../faults/world';
import { countRecordBatches } from './record-batches';
import { countOption } from '../flags';

const log = (msg: string) => void process.stderr.write(`[bench:ingest] ${msg}\n`);

const option = (name: string, fallback: number) => countOption(name, fallback);

function textOption(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? undefined : process.argv[i + 1];
}

const TENANT = 'bench';
// PostgreSQL (15+) backends report their transaction counts at most once a second, and an idle one after up to 10 s.
const STATS_SETTLE_MS = 11_000;

interface Counts {
  xacts: number;
  recordBatches: number;
  groups: number | null;
}

async function main(): Promise<void> {
  const events = option('events', 20_000);
  const concurrency = option('concurrency', 32);
  const warmup = option('warmup', 2_000);
  const profileDir = textOption('cpu-prof');
  const world = await World.start(log);
  // --cpu-prof DIR: each service writes a V8 CPU profile there when it stops (open in Chrome DevTools).
  const profiling: Record<string, string> = profileDir ? { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${profileDir}` } : {};
  const stack = new Stack({ brokers: world.brokers, databaseUrl: world.databaseUrl, env: { ...passThroughEnv(), ...profiling } });
  let pool: Pool | undefined;
  try {
    await stack.start();
    // A tenant key, as producers use: its look-up is part of each request.
    const created = await stack.api<{ key: string }>('admin-api', 'POST', '/v1/api-keys', { name: 'bench', tenantId: TENANT, scopes: ['events:write'] });
    if (created.status !== 201) throw new Error(`creating an API key answered ${created.status}`);
    const others: ServiceName[] = ['rules-engine', 'dispatcher', 'retry-scheduler', 'log-store', 'admin-api'];
    for (const name of others) await stack.stopService(name);

    pool = new Pool(stack.url('ingest'), { connections: concurrency, keepAliveTimeout: 30_000 });
    const headers = { authorization: `Bearer ${created.body.key}`, 'content-type': 'application/json' };
    const post = async (seq: number): Promise<number> => {
      const body = JSON.stringify({
        tenantId: TENANT,
        type: 'invoice.paid',
        id: `evt_bench_${seq}`,
        data: { invoiceId: `inv_${seq}`, customerId: `cus_${seq % 97}`, amount: 4200 + (seq % 1000), currency: 'EUR', status: 'paid' },
      });
      const sent = now();
      const res = await pool!.request({ path: '/v1/events', method: 'POST', headers, body });
      const text = await res.body.text();
      if (res.statusCode !== 202) throw new Error(`POST /v1/events answered ${res.statusCode}: ${text.slice(0, 300)}`);
      return now() - sent;
    };
    const send = async (from: number, total: number): Promise<Float64Array> => {
      const latencies = new Float64Array(total);
      let next = 0;
      const lane = async () => {
        while (next < total) {
          const i = next++;
          latencies[i] = await post(from + i);
        }
      };
      await Promise.all(Array.from({ length: concurrency }, lane));
      return latencies;
    };

    log(`warm-up: ${warmup} events`);
    await send(0, warmup);
    const watched: WatchedProcess[] = [
      { name: 'ingest', pid: stack.processOf('ingest')?.pid },
      { name: 'postgresql', pid: world.postgres.pid, tree: true },
      { name: 'kafka', pid: world.kafka.pid },
      { name: 'bench (sender)', pid: process.pid },
    ];
    const counts = async (): Promise<Counts> => {
      await sleep(STATS_SETTLE_MS);
      const row = (
        await pgQuery<{ n: string }>(stack.databaseUrl, `SELECT xact_commit + xact_rollback AS n FROM pg_stat_database WHERE datname = current_database()`)
      ).rows[0];
      const metrics = await (await fetch(`${stack.url('ingest')}/metrics`)).text();
      const groups = metrics.match(/^hookline_ingest_groups_total\{source="http"\} (\d+)/m);
      return {
        xacts: Number(row?.n ?? 0),
        recordBatches: countRecordBatches(kafkaLogDirs(world.dataDir, `${stack.prefix}hookline.events.accepted.v1-`)),
        groups: groups ? Number(groups[1]) : null,
      };
    };
    const before = await counts();

    log(`measured: ${events} single-event POSTs, ${concurrency} in flight`);
    const cpuBefore = cpuSnapshot(watched);
    const start = now();
    const latencies = await send(warmup, events);
    const seconds = (now() - start) / 1000;
    const cpu = cpuReport(cpuBefore, cpuSnapshot(watched));
    const after = await counts();

    const per1000 = (n: number) => round((n * 1000) / events, 2);
    const cpuOf = (name: string) => cpu.rows.find((r) => r.name === name)?.cpuSeconds ?? 0;
    const p = percentiles(latencies);
    const m = machineInfo();
    const linger = process.env.HOOKLINE_INGEST_LINGER_MS;
    process.stdout.write(
      [
        `npm run bench:ingest -- --events ${events} --concurrency ${concurrency}${linger === undefined ? '' : ` (HOOKLINE_INGEST_LINGER_MS=${linger})`}`,
        `${new Date().toISOString()}, commit ${codeVersion()}, ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB, Node ${m.node}`,
        `accepted ${events} events in ${seconds.toFixed(1)} s = ${Math.round(events / seconds)} events/s; answer p50 ${p.p50} ms, p99 ${p.p99} ms, max ${p.max} ms`,
        `CPU s per 1,000 events: ingest ${per1000(cpuOf('ingest'))}, postgresql ${per1000(cpuOf('postgresql'))}, kafka ${per1000(cpuOf('kafka'))}, bench sender ${per1000(cpuOf('bench (sender)'))} (machine ${cpu.machineBusyPercent} % busy)`,
        `per 1,000 events: ${per1000(after.xacts - before.xacts)} PostgreSQL transactions, ${per1000(after.recordBatches - before.recordBatches)} Kafka produce requests (record batches on the accepted topic; one tenant, one partition)` +
          (after.groups !== null && before.groups !== null ? `, ${per1000(after.groups - before.groups)} groups` : ''),
      ].join('\n') + '\n',
    );
  } finally {
    await pool?.close().catch(() => undefined);
    await stack.stop();
    await world.stop();
  }
}

/** The broker's folders of a topic's partitions (`<topic>-<partition>`), under the world's data folder. */
function kafkaLogDirs(root: string, topicDash: string): string[] {
  const found: string[] = [];
  const walk = (dir: string, depth: number) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (!statSync(path).isDirectory()) continue;
      if (name.startsWith(topicDash)) found.push(path);
      else if (depth < 4) walk(path, depth + 1);
    }
  };
  walk(root, 0);
  return found;
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    log(`FAILED: ${error instanceof Error ? error.stack : String(error)}`);
    process.exit(1);
  },
);
