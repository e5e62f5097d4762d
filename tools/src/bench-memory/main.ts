import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startInfra } from '@hookline/infra';
import { passThroughEnv, SERVICES, Stack } from '@hookline/stack';
import { Pool } from 'undici';
import { integerFlag, parseFlags, UsageError } from '../flags';
import { Recorder, type Watched } from './proc';

/*
 * Memory and idle CPU of the whole stack as npm start runs it (Kafka,
 * PostgreSQL and the six services with their default settings): each
 * process's CPU while nothing happens, then its memory (first, peak, final)
 * and CPU under single-event POSTs at a steady rate.
 */

const HELP = `npm run bench:memory -- [--settle S] [--idle S] [--rate R] [--load S] [--endpoints K] [--json FILE]
  --settle S    seconds after start before measuring (default 20)
  --idle S      seconds of the idle measurement (default 60)
  --rate R      events/s of the load phase, one POST /v1/events each (default 200)
  --load S      seconds of the load phase; 0 skips it (default 120)
  --endpoints K endpoints, each event goes to one (default 4)
Service settings in the environment (HOOKLINE_*, LOG_LEVEL, …) are passed to the services.`;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const log = (msg: string) => process.stdout.write(`[${new Date().toISOString().slice(11, 19)}] ${msg}\n`);

async function main(): Promise<void> {
  const flags = parseFlags(process.argv.slice(2), {
    settle: { type: 'string', default: '20' },
    idle: { type: 'string', default: '60' },
    rate: { type: 'string', default: '200' },
    load: { type: 'string', default: '120' },
    endpoints: { type: 'string', default: '4' },
    json: { type: 'string' },
    help: { type: 'boolean', default: false },
  });
  if (flags.help) return void process.stdout.write(`${HELP}\n`);
  const settle = integerFlag(flags.settle, 'settle', 0, 3600);
  const idle = integerFlag(flags.idle, 'idle', 1, 3600);
  const rate = integerFlag(flags.rate, 'rate', 1, 10_000);
  const loadSeconds = integerFlag(flags.load, 'load', 0, 7200);
  const endpointCount = integerFlag(flags.endpoints, 'endpoints', 1, 100);

  const tmp = mkdtempSync(join(tmpdir(), 'hookline-bench-memory-'));
  const infra = await startInfra({ dataDir: tmp, log: (m) => /ready/.test(m) && log(m) });
  const stack = new Stack({
    brokers: infra.brokers,
    databaseUrl: infra.databaseUrl,
    logDir: join(tmp, 'logs'),
    env: { ...passThroughEnv(), HOOKLINE_ALLOW_PRIVATE_TARGETS: 'true' },
  });
  const received = { count: 0 };
  const receiver = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      received.count++;
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  try {
    await stack.start();
    log(`stack started (partitions ${process.env.HOOKLINE_TOPIC_PARTITIONS ?? 'default'}, LOG_LEVEL ${process.env.LOG_LEVEL ?? 'default'})`);
    const watched: Watched[] = [
      { name: 'kafka', pid: infra.kafka?.pid as number },
      { name: 'postgresql', pid: infra.postgres?.pid as number, tree: true },
      ...SERVICES.map((name) => ({ name, pid: stack.processOf(name)?.pid as number })),
    ];
    const tenants: string[] = [];
    for (let k = 0; k < endpointCount; k++) {
      const tenant = `memory${k}`;
      const res = await stack.api('admin-api', 'POST', `/v1/tenants/${tenant}/endpoints`, { url: `${receiverUrl}/hooks/${k}`, eventTypes: ['*'] });
      if (res.status !== 201) throw new Error(`creating an endpoint answered ${res.status}: ${JSON.stringify(res.body)}`);
      tenants.push(tenant);
    }

    await sleep(settle * 1000);
    log(`idle: ${idle} s ...`);
    const idleRecorder = new Recorder(watched);
    idleRecorder.start();
    await sleep(idle * 1000);
    const idleRows = idleRecorder.stop();
    print('idle', idleRows);

    let loadRows: ReturnType<Recorder['stop']> = [];
    if (loadSeconds > 0) {
      log(`load: ${rate} events/s, one POST each, for ${loadSeconds} s ...`);
      const loadRecorder = new Recorder(watched);
      loadRecorder.start();
      const sent = await steadyLoad(stack, tenants, rate, loadSeconds);
      const deadline = Date.now() + 60_000;
      while (received.count < sent && Date.now() < deadline) await sleep(100);
      loadRows = loadRecorder.stop();
      print(`load (${sent} events sent, ${received.count} delivered)`, loadRows);
      if (received.count < sent) throw new Error(`${sent - received.count} deliveries did not arrive within 60 s of the last event`);
    }
    process.stdout.write(`\nV8 heap at the end (from /metrics)\n| service | heap used MB | heap total MB | external MB |\n|---|---:|---:|---:|\n`);
    for (const name of SERVICES) {
      const metrics = await fetch(`${stack.url(name)}/metrics`).then((r) => r.text());
      const mb = (metric: string) => (Number(new RegExp(`^hookline_${metric} (\\S+)`, 'm').exec(metrics)?.[1] ?? NaN) / 1048576).toFixed(0);
      process.stdout.write(
        `| ${name} | ${mb('nodejs_heap_size_used_bytes')} | ${mb('nodejs_heap_size_total_bytes')} | ${mb('nodejs_external_memory_bytes')} |\n`,
      );
    }
    const logLines = Object.fromEntries(SERVICES.map((name) => [name, readFileSync(stack.logFile(name), 'utf8').split('\n').length - 1]));
    log(
      `service log lines over the run: ${Object.entries(logLines)
        .map(([name, n]) => `${name} ${n}`)
        .join(', ')}`,
    );
    if (flags.json)
      writeFileSync(flags.json, `${JSON.stringify({ idle: idleRows, load: loadRows, rate, loadSeconds, idleSeconds: idle, logLines }, null, 2)}\n`);
  } finally {
    await stack.stop().catch(() => undefined);
    await infra.stop().catch(() => undefined);
    receiver.close();
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** One POST /v1/events per event, `rate` a second, started on a 10 ms clock; resolves with how many were accepted. */
async function steadyLoad(stack: Stack, tenants: string[], rate: number, seconds: number): Promise<number> {
  const pool = new Pool(stack.url('ingest'), { connections: 32 });
  const headers = { authorization: `Bearer ${stack.token}`, 'content-type': 'application/json' };
  const total = rate * seconds;
  const start = Date.now();
  let next = 0;
  let accepted = 0;
  const inFlight = new Set<Promise<void>>();
  while (next < total) {
    const due = Math.min(total, Math.floor(((Date.now() - start) / 1000) * rate));
    for (; next < due; next++) {
      const seq = next;
      const body = JSON.stringify({ tenantId: tenants[seq % tenants.length], type: 'invoice.paid', data: { invoiceId: `inv_${seq}`, amount: 4200 } });
      const p = pool.request({ path: '/v1/events', method: 'POST', headers, body }).then(async (res) => {
        await res.body.dump();
        if (res.statusCode !== 202) throw new Error(`POST /v1/events answered ${res.statusCode}`);
        accepted++;
      });
      inFlight.add(p);
      void p.finally(() => inFlight.delete(p));
    }
    await sleep(10);
  }
  await Promise.all(inFlight);
  await pool.close();
  return accepted;
}

function print(title: string, rows: ReturnType<Recorder['stop']>): void {
  const total = rows.reduce((t, r) => ({ cpu: t.cpu + r.cpuPercent, peak: t.peak + r.peakMb, final: t.final + r.finalMb }), { cpu: 0, peak: 0, final: 0 });
  process.stdout.write(`\n${title}\n| process | CPU % of a core | MB first | MB peak | MB final |\n|---|---:|---:|---:|---:|\n`);
  for (const r of rows)
    process.stdout.write(`| ${r.name} | ${r.cpuPercent.toFixed(2)} | ${r.firstMb.toFixed(0)} | ${r.peakMb.toFixed(0)} | ${r.finalMb.toFixed(0)} |\n`);
  process.stdout.write(`| total | ${total.cpu.toFixed(2)} | | ${total.peak.toFixed(0)} | ${total.final.toFixed(0)} |\n\n`);
}

main().catch((error: Error) => {
  process.stderr.write(`${error instanceof UsageError ? error.message : (error.stack ?? error.message)}\n`);
  process.exit(error instanceof UsageError ? 2 : 1);
});
