#!/usr/bin/env node
/*
 * `npm run bench:inbound`: providers' webhooks in, at load. On its own Kafka
 * and PostgreSQL, the whole stack runs; one inbound source per provider of
 * SIGNERS (each its own tenant, with an endpoint subscribed to its events on
 * a receiver in this process), then N callbacks across them with C in flight,
 * 10 % of them sent twice (a provider's retry). Prints the acknowledgement
 * latency (until ingest answers: the events are on Kafka), and, once the
 * pipeline has delivered, how many events were lost or duplicated. The
 * numbers go to BENCHMARKS.md ("Inbound webhooks").
 */
import { passThroughEnv, Stack } from '@hookline/stack';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Pool } from 'undici';
import { now } from '../bench/counters';
import { codeVersion, machineInfo, percentiles, sleep } from '../bench/measure';
import { World } from '../faults/world';
import { countOption } from '../flags';
import { SIGNERS } from './signers';

const log = (msg: string) => void process.stderr.write(`[bench:inbound] ${msg}\n`);
const DELIVERY_WAIT_MS = 120_000;

async function main(): Promise<void> {
  const requests = countOption('requests', 5_000);
  const concurrency = countOption('concurrency', 16);
  const world = await World.start(log);
  // Deliveries by event id: each expected event must arrive, under one delivery id only.
  const deliveries = new Map<string, Set<string>>();
  let received = 0;
  const receiver: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received += 1;
      const event = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { id: string };
      const ids = deliveries.get(event.id) ?? new Set<string>();
      ids.add(String(req.headers['x-hookline-delivery']));
      deliveries.set(event.id, ids);
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  const stack = new Stack({ brokers: world.brokers, databaseUrl: world.databaseUrl, env: { ...passThroughEnv(), HOOKLINE_ALLOW_PRIVATE_TARGETS: 'true' } });
  let pool: Pool | undefined;
  try {
    await stack.start();
    const sources: { signer: (typeof SIGNERS)[number]; path: string }[] = [];
    for (const signer of SIGNERS) {
      const tenant = `bench-${signer.provider.replace(/_/g, '-')}`;
      const endpoint = await stack.api('admin-api', 'POST', `/v1/tenants/${tenant}/endpoints`, {
        url: `${receiverUrl}/${signer.provider}`,
        eventTypes: ['inbound.*'],
      });
      if (endpoint.status !== 201) throw new Error(`creating the ${signer.provider} endpoint answered ${endpoint.status}`);
      const source = await stack.api<{ path: string }>('admin-api', 'POST', `/v1/tenants/${tenant}/inbound-sources`, {
        provider: signer.provider,
        name: signer.provider,
        ...signer.source,
      });
      if (source.status !== 201) throw new Error(`creating the ${signer.provider} source answered ${source.status}: ${JSON.stringify(source.body)}`);
      sources.push({ signer, path: source.body.path });
    }

    pool = new Pool(stack.url('ingest'), { connections: concurrency, keepAliveTimeout: 30_000 });
    // Every 10th request repeats the one before it (a provider's retry of the same callback).
    const plan = Array.from({ length: requests }, (_, i) => (i % 10 === 9 ? i - 1 : i));
    const latencies = new Float64Array(requests);
    const eventIds = new Set<string>();
    let next = 0;
    let refused = 0;
    const lane = async () => {
      while (next < requests) {
        const i = next++;
        const seq = plan[i];
        const { signer, path } = sources[seq % sources.length];
        const url = `${stack.url('ingest')}${path}`;
        const callback = signer.sign(seq, url, Math.floor(Date.now() / 1000));
        const sent = now();
        const res = await pool!.request({ path, method: 'POST', headers: callback.headers, body: callback.body });
        await res.body.text();
        latencies[i] = now() - sent;
        if (res.statusCode < 200 || res.statusCode > 299) refused += 1;
        eventIds.add(`${signer.provider}:${seq}`);
      }
    };
    log(`${requests} callbacks across ${sources.length} providers, ${concurrency} in flight`);
    const start = now();
    await Promise.all(Array.from({ length: concurrency }, lane));
    const seconds = (now() - start) / 1000;
    const expected = eventIds.size;

    const deadline = Date.now() + DELIVERY_WAIT_MS;
    while (deliveries.size < expected && Date.now() < deadline) await sleep(250);
    // A little longer: a duplicate would arrive after the last expected event.
    await sleep(3_000);
    const duplicated = [...deliveries.values()].filter((ids) => ids.size > 1).length;
    const p = percentiles(latencies);
    const m = machineInfo();
    process.stdout.write(
      [
        `npm run bench:inbound -- --requests ${requests} --concurrency ${concurrency}`,
        `${new Date().toISOString()}, commit ${codeVersion()}, ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB, Node ${m.node}`,
        `acknowledged ${requests} callbacks (${requests - expected} of them retries) in ${seconds.toFixed(1)} s = ${Math.round(requests / seconds)}/s; refused ${refused}; acknowledgement p50 ${p.p50} ms, p99 ${p.p99} ms, max ${p.max} ms`,
        `delivered ${deliveries.size} of ${expected} events (lost ${expected - deliveries.size}), ${duplicated} under more than one delivery id; ${received} requests at the receiver`,
      ].join('\n') + '\n',
    );
    if (refused > 0 || deliveries.size !== expected || duplicated > 0) process.exitCode = 1;
  } finally {
    await pool?.close().catch(() => undefined);
    await stack.stop();
    await world.stop();
    await new Promise((resolve) => receiver.close(resolve));
  }
}

main().then(
  () => process.exit(process.exitCode ?? 0),
  (error: unknown) => {
    log(`FAILED: ${error instanceof Error ? error.stack : String(error)}`);
    process.exit(1);
  },
);
