#!/usr/bin/env node
/*
 * One client's run of `npm run bench:kafka`, in a process of its own so that
 * its CPU and memory are its alone: started by main.ts with a JSON job as its
 * argument, it prints one JSON line with what it measured.
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { percentiles, round, type Percentiles } from '../bench/measure';
import { driver, type BenchMessage, type ClientName, type Compression, type ConsumerSettings, type Driver } from './drivers';

export interface Job {
  client: ClientName;
  case: 'throughput' | 'latency' | 'idle';
  brokers: string[];
  topic: string;
  brokerPid: number;
  consumer: ConsumerSettings;
  compression: Compression;
  /** kafkajs: Nagle off, as libs/kafka connects */
  tcpNoDelay: boolean;
  /** throughput: messages produced then consumed */
  messages: number;
  /** throughput: concurrent callers of the gathering producer */
  callers: number;
  /** latency: messages per second, and for how long */
  rate: number;
  seconds: number;
  /** idle: group consumers kept waiting on an empty topic */
  consumers: number;
}

export interface PhaseResult {
  messages: number;
  seconds: number;
  perSecond: number;
  clientCpuPer1000: number;
  brokerCpuPer1000: number;
}

export interface JobResult {
  client: ClientName;
  produce?: PhaseResult;
  consume?: PhaseResult;
  latency?: Percentiles & PhaseResult;
  idle?: { seconds: number; clientCpuPercent: number; brokerCpuPercent: number };
  peakRssMb: number;
}

const CLK_TCK = 100;
const KEYS = Array.from({ length: 8 }, (_, i) => `tenant-${i}`);
const now = () => performance.timeOrigin + performance.now();

function brokerCpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) / CLK_TCK;
}

/** A ~1 KB JSON value shaped like a delivery request. */
function value(i: number, sentAt = 0): string {
  return JSON.stringify({ i, sentAt, tenantId: KEYS[i % KEYS.length], type: 'invoice.paid', data: { invoiceId: `inv_${i}`, note: 'x'.repeat(900) } });
}

/** Gathers concurrent sends for 2 ms or 1,000 messages into one batch, as BatchingProducer does. */
class Gatherer {
  private queue: { message: BenchMessage; resolve: () => void; reject: (e: unknown) => void }[] = [];
  private timer: NodeJS.Timeout | null = null;
  constructor(
    private readonly client: Driver,
    private readonly topic: string,
  ) {}
  send(message: BenchMessage): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ message, resolve, reject });
      if (this.queue.length >= 1000) this.flush();
      else this.timer ??= setTimeout(() => this.flush(), 2);
    });
  }
  private flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const batch = this.queue;
    this.queue = [];
    if (batch.length === 0) return;
    this.client
      .sendBatch(
        this.topic,
        batch.map((p) => p.message),
      )
      .then(
        () => batch.forEach((p) => p.resolve()),
        (e: unknown) => batch.forEach((p) => p.reject(e)),
      );
  }
}

class Meter {
  private readonly cpu = process.cpuUsage();
  private readonly broker: number;
  private readonly at = now();
  constructor(private readonly brokerPid: number) {
    this.broker = brokerCpuSeconds(brokerPid);
  }
  done(messages: number, seconds = (now() - this.at) / 1000): PhaseResult {
    const cpu = process.cpuUsage(this.cpu);
    const clientCpu = (cpu.user + cpu.system) / 1e6;
    const brokerCpu = brokerCpuSeconds(this.brokerPid) - this.broker;
    return {
      messages,
      seconds: round(seconds, 2),
      perSecond: Math.round(messages / seconds),
      clientCpuPer1000: round((clientCpu / messages) * 1000, 3),
      brokerCpuPer1000: round((brokerCpu / messages) * 1000, 3),
    };
  }
}

async function throughput(job: Job, client: Driver): Promise<Pick<JobResult, 'produce' | 'consume'>> {
  const gatherer = new Gatherer(client, job.topic);
  let next = 0;
  const produceMeter = new Meter(job.brokerPid);
  await Promise.all(
    Array.from({ length: job.callers }, async () => {
      while (next < job.messages) {
        const i = next++;
        await gatherer.send({ key: KEYS[i % KEYS.length]!, value: value(i) });
      }
    }),
  );
  const produce = produceMeter.done(job.messages);

  const consumeMeter = new Meter(job.brokerPid);
  let received = 0;
  let first = 0;
  await new Promise<void>((resolve, reject) => {
    client
      .consume(job.topic, `${job.topic}.group`, job.consumer, async (batch) => {
        first ||= now();
        received += batch.values.length;
        if (received >= job.messages) resolve();
      })
      .catch(reject);
  });
  const consume = consumeMeter.done(received, (now() - first) / 1000);
  if (received < job.messages) throw new Error(`consumed ${received} of ${job.messages}`);
  return { produce, consume };
}

async function latency(job: Job, client: Driver): Promise<Pick<JobResult, 'latency'>> {
  const gatherer = new Gatherer(client, job.topic);
  const samples: number[] = [];
  let warm: (() => void) | null = null;
  await client.consume(job.topic, `${job.topic}.group`, job.consumer, async (batch) => {
    const at = now();
    for (const v of batch.values) {
      const { sentAt } = JSON.parse(v.toString()) as { sentAt: number };
      if (sentAt === 0) warm?.();
      else samples.push(at - sentAt);
    }
  });
  // The group is joined and the partitions fetched once a first message comes back.
  await new Promise<void>((resolve) => {
    warm = resolve;
    void gatherer.send({ key: KEYS[0]!, value: value(0) });
  });
  const total = job.rate * job.seconds;
  const meter = new Meter(job.brokerPid);
  const start = now();
  for (let i = 1; i <= total; i++) {
    const due = start + (i * 1000) / job.rate;
    const wait = due - now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    void gatherer.send({ key: KEYS[i % KEYS.length]!, value: value(i, now()) });
  }
  const deadline = now() + 10_000;
  while (samples.length < total && now() < deadline) await new Promise((r) => setTimeout(r, 20));
  const phase = meter.done(samples.length, (now() - start) / 1000);
  if (samples.length < total) throw new Error(`received ${samples.length} of ${total}`);
  return { latency: { ...percentiles(samples), ...phase } };
}

/** `consumers` group consumers that have caught up and wait on a quiet topic: what their fetches and heartbeats cost. */
async function idle(job: Job, client: Driver): Promise<Pick<JobResult, 'idle'>> {
  const joined = new Set<number>();
  for (let c = 0; c < job.consumers; c++) {
    await client.consume(job.topic, `${job.topic}.group-${c}`, job.consumer, async () => void joined.add(c));
  }
  await client.sendBatch(job.topic, [{ key: KEYS[0]!, value: value(0) }]);
  const deadline = now() + 60_000;
  while (joined.size < job.consumers) {
    if (now() > deadline) throw new Error(`${joined.size} of ${job.consumers} consumers joined`);
    await new Promise((r) => setTimeout(r, 100));
  }
  await new Promise((r) => setTimeout(r, 2_000));
  const cpu = process.cpuUsage();
  const broker = brokerCpuSeconds(job.brokerPid);
  const start = now();
  await new Promise((r) => setTimeout(r, job.seconds * 1000));
  const seconds = (now() - start) / 1000;
  const used = process.cpuUsage(cpu);
  return {
    idle: {
      seconds: round(seconds, 1),
      clientCpuPercent: round(((used.user + used.system) / 1e6 / seconds) * 100, 2),
      brokerCpuPercent: round(((brokerCpuSeconds(job.brokerPid) - broker) / seconds) * 100, 2),
    },
  };
}

async function main(): Promise<void> {
  const job = JSON.parse(process.argv[2]!) as Job;
  let peakRss = process.memoryUsage.rss();
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage.rss())), 100);
  const client = driver(job.client, job.brokers, job.compression, job.tcpNoDelay);
  const result = job.case === 'throughput' ? await throughput(job, client) : job.case === 'latency' ? await latency(job, client) : await idle(job, client);
  clearInterval(sampler);
  peakRss = Math.max(peakRss, process.memoryUsage.rss());
  await client.close();
  const out: JobResult = { client: job.client, ...result, peakRssMb: Math.round(peakRss / 2 ** 20) };
  process.stdout.write(`${JSON.stringify(out)}\n`);
  process.exit(0);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
