#!/usr/bin/env node
/*
 * `npm run bench:kafka`: the Kafka clients Hookline can run on, on numbers.
 * On a real broker of its own (@hookline/infra), each client in a process of
 * its own, in alternating order per round:
 *   throughput  N ~1 KB JSON messages over 8 keys, sent by many concurrent
 *               callers gathered for 2 ms into batches with acks = all (as
 *               BatchingProducer does), then consumed by a group consumer that
 *               commits each fetched batch (as BatchConsumer does);
 *   latency     one message at a time at --rate per second: produce → consume p50/p99;
 *   idle        --idle-consumers caught-up group consumers on a quiet topic.
 * Reports messages/s, the client's CPU s per 1,000 messages, its peak RSS and
 * the broker's CPU s per 1,000 messages. Numbers go to BENCHMARKS.md ("Kafka client").
 */
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createKafka } from '@hookline/kafka';
import { startInfra } from '@hookline/infra';
import { codeVersion, machineInfo } from '../bench/measure';
import { CLIENTS, COMPRESSIONS, DEFAULT_CONSUMER, type ClientName, type Compression, type ConsumerSettings } from './drivers';
import type { Job, JobResult } from './client';
import { countOption } from '../flags';

const run = promisify(execFile);
const log = (msg: string) => void process.stderr.write(`[bench:kafka] ${msg}\n`);

const option = (name: string, fallback: number) => countOption(name, fallback, 0);

function text(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? undefined : process.argv[i + 1];
}

async function main(): Promise<void> {
  if (process.argv.includes('--help')) {
    process.stdout.write(
      'npm run bench:kafka -- [--messages 200000] [--callers 500] [--rate 200] [--seconds 20] [--rounds 2]\n' +
        '  [--cases throughput,latency,idle] [--clients kafkajs,platformatic] [--idle-consumers 12] [--idle-seconds 20]\n' +
        '  [--max-wait-ms 500] [--min-bytes 1] [--max-bytes 10485760] [--max-bytes-per-partition 1048576] [--heartbeat-ms 1000]\n' +
        '  [--compression none|gzip|snappy|lz4|zstd] [--tcp-nodelay 1|0] [--json FILE]\n',
    );
    return;
  }
  const rounds = option('rounds', 2);
  const cases = (text('cases') ?? 'throughput,latency,idle').split(',') as Job['case'][];
  const clients = (text('clients') ?? CLIENTS.join(',')).split(',') as ClientName[];
  for (const c of clients) if (!CLIENTS.includes(c)) throw new Error(`--clients: unknown client ${c} (one of ${CLIENTS.join(', ')})`);
  const consumer: ConsumerSettings = {
    maxWaitMs: option('max-wait-ms', DEFAULT_CONSUMER.maxWaitMs),
    minBytes: option('min-bytes', DEFAULT_CONSUMER.minBytes),
    maxBytes: option('max-bytes', DEFAULT_CONSUMER.maxBytes),
    maxBytesPerPartition: option('max-bytes-per-partition', DEFAULT_CONSUMER.maxBytesPerPartition),
    heartbeatMs: option('heartbeat-ms', DEFAULT_CONSUMER.heartbeatMs),
  };
  const compression = (text('compression') ?? 'none') as Compression;
  if (!COMPRESSIONS.includes(compression)) throw new Error(`--compression: one of ${COMPRESSIONS.join(', ')}`);
  const base = {
    messages: option('messages', 200_000),
    callers: option('callers', 500),
    rate: option('rate', 200),
    seconds: option('seconds', 20),
    consumers: option('idle-consumers', 12),
    consumer,
    compression,
    tcpNoDelay: option('tcp-nodelay', 1) !== 0,
  };
  const idleSeconds = option('idle-seconds', 20);
  const m = machineInfo();
  log(`code ${codeVersion()}; ${JSON.stringify(m)}; consumer ${JSON.stringify(consumer)}; compression ${compression}; kafkajs tcp-nodelay ${base.tcpNoDelay}`);

  const infra = await startInfra({ servers: { kafka: true, postgres: false }, log });
  const results: { round: number; case: Job['case']; result: JobResult }[] = [];
  try {
    const brokers = infra.brokers.split(',');
    const admin = createKafka({ clientId: 'bench-kafka-admin', brokers }).admin();
    await admin.connect();
    for (let round = 0; round < rounds; round++) {
      const order = round % 2 === 0 ? clients : [...clients].reverse();
      for (const kase of cases) {
        for (const client of order) {
          const topic = `bench.${kase}.${client}.${round}`;
          await admin.createTopics({ topics: [{ topic, numPartitions: 6, replicationFactor: 1 }], waitForLeaders: true });
          const job: Job = { ...base, seconds: kase === 'idle' ? idleSeconds : base.seconds, client, case: kase, brokers, topic, brokerPid: infra.kafka!.pid };
          log(`round ${round + 1}/${rounds}: ${kase}, ${client}`);
          const { stdout } = await run(process.execPath, [join(__dirname, 'client.js'), JSON.stringify(job)], { maxBuffer: 1 << 20, timeout: 600_000 });
          const result = JSON.parse(stdout.trim().split('\n').pop()!) as JobResult;
          log(JSON.stringify(result));
          results.push({ round, case: kase, result });
          await admin.deleteTopics({ topics: [topic] });
        }
      }
    }
    await admin.disconnect();
  } finally {
    await infra.stop();
  }
  report(results);
  const json = text('json');
  if (json) writeFileSync(json, JSON.stringify({ machine: m, code: codeVersion(), consumer, base, results }, null, 2));
}

function report(results: { round: number; case: Job['case']; result: JobResult }[]): void {
  const out: string[] = [];
  const rows = (kase: Job['case']) => results.filter((r) => r.case === kase);
  if (rows('throughput').length) {
    out.push(
      '| round | client | produce msg/s | client CPU s/1k | broker CPU s/1k | consume msg/s | client CPU s/1k | broker CPU s/1k | peak RSS MB |',
      '|---|---|---|---|---|---|---|---|---|',
    );
    for (const { round, result: r } of rows('throughput'))
      out.push(
        `| ${round + 1} | ${r.client} | ${r.produce!.perSecond} | ${r.produce!.clientCpuPer1000} | ${r.produce!.brokerCpuPer1000} | ${r.consume!.perSecond} | ${r.consume!.clientCpuPer1000} | ${r.consume!.brokerCpuPer1000} | ${r.peakRssMb} |`,
      );
    out.push('');
  }
  if (rows('latency').length) {
    out.push(
      '| round | client | msg/s | p50 ms | p95 ms | p99 ms | max ms | client CPU s/1k | broker CPU s/1k | peak RSS MB |',
      '|---|---|---|---|---|---|---|---|---|---|',
    );
    for (const { round, result: r } of rows('latency')) {
      const l = r.latency!;
      out.push(
        `| ${round + 1} | ${r.client} | ${l.perSecond} | ${l.p50} | ${l.p95} | ${l.p99} | ${l.max} | ${l.clientCpuPer1000} | ${l.brokerCpuPer1000} | ${r.peakRssMb} |`,
      );
    }
    out.push('');
  }
  if (rows('idle').length) {
    out.push('| round | client | idle consumers | client CPU % of a core | broker CPU % of a core | peak RSS MB |', '|---|---|---|---|---|---|');
    for (const { round, result: r } of rows('idle'))
      out.push(`| ${round + 1} | ${r.client} | ${option('idle-consumers', 12)} | ${r.idle!.clientCpuPercent} | ${r.idle!.brokerCpuPercent} | ${r.peakRssMb} |`);
  }
  process.stdout.write(`${out.join('\n')}\n`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
