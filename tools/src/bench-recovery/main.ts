import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { startInfra } from '@hookline/infra';
import { Stack } from '@hookline/stack';
import { parseArgs } from 'node:util';
import { pgQuery } from '../bench/servers';

/*
 * Recovery under fresh traffic: 50,000 dead deliveries of one endpoint,
 * written straight into the log tables, are recovered by a recovery job while
 * fresh events flow at a steady rate to three other endpoints. Fresh
 * traffic's event→arrival latency is measured first without a recovery, then
 * during it, in the same run; and the recovery's throughput.
 */

const { values: args } = parseArgs({
  options: {
    dead: { type: 'string', default: '50000' },
    rate: { type: 'string', default: '500' },
    fresh: { type: 'string', default: '50' },
    baseline: { type: 'string', default: '30' },
    keep: { type: 'boolean', default: false },
  },
});
const DEAD = Number(args.dead);
const RECOVERY_RATE = Number(args.rate);
const FRESH_PER_S = Number(args.fresh);
const BASELINE_S = Number(args.baseline);
const FRESH_ENDPOINTS = 3;

const log = (msg: string) => process.stdout.write(`[${new Date().toISOString().slice(11, 23)}] ${msg}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Arrival {
  at: number;
  latencyMs: number | null;
  webhookId: string;
}

/** Records every delivery; a fresh one's latency is its arrival minus the `sentAt` the bench wrote into the event. */
function startReceiver(): Promise<{ server: Server; url: string; fresh: Arrival[]; recovered: Arrival[] }> {
  const fresh: Arrival[] = [];
  const recovered: Arrival[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const at = Date.now();
      const webhookId = String(req.headers['webhook-id']);
      if (req.url?.startsWith('/fresh/')) {
        const sentAt = (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { data: { sentAt: number } }).data.sentAt;
        fresh.push({ at, latencyMs: at - sentAt, webhookId: `${req.url} ${webhookId}` });
      } else recovered.push({ at, latencyMs: null, webhookId });
      res.writeHead(200).end('ok');
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      resolve({ server, url: `http://127.0.0.1:${port}`, fresh, recovered });
    }),
  );
}

function percentiles(values: number[]): { n: number; p50: number; p95: number; p99: number; max: number } {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
  return { n: sorted.length, p50: at(0.5), p95: at(0.95), p99: at(0.99), max: sorted[sorted.length - 1] ?? NaN };
}

async function main(): Promise<void> {
  const tmp = mkdtempSync(join(tmpdir(), 'hookline-bench-recovery-'));
  const infra = await startInfra({ dataDir: tmp, postgresSettings: { max_connections: 200 }, useEnvironment: true });
  const receiver = await startReceiver();
  const stack = new Stack({
    brokers: infra.brokers,
    databaseUrl: infra.databaseUrl,
    logDir: join(tmp, 'logs'),
    env: { HOOKLINE_ALLOW_PRIVATE_TARGETS: 'true', HOOKLINE_RECOVERY_RATE: String(RECOVERY_RATE), HOOKLINE_RECOVERY_POLL_MS: '200' },
  });
  try {
    log('starting the six services ...');
    await stack.start();
    const endpoint = async (tenant: string, path: string, type: string) => {
      const res = await stack.api<{ id: string }>('admin-api', 'POST', `/v1/tenants/${tenant}/endpoints`, {
        url: `${receiver.url}${path}`,
        eventTypes: [type],
      });
      if (res.status !== 201) throw new Error(`creating ${path}: ${res.status}`);
      return res.body.id;
    };
    const target = await endpoint('recovery', '/recover', 'recover.*');
    for (let k = 0; k < FRESH_ENDPOINTS; k++) await endpoint('fresh', `/fresh/${k}`, 'fresh.*');

    let sent = 0;
    const sendFresh = async (count: number) => {
      const events = Array.from({ length: count }, () => ({ tenantId: 'fresh', type: 'fresh.tick', data: { sentAt: Date.now(), n: sent++ } }));
      const res = await stack.api('ingest', 'POST', '/v1/events/batch', { events });
      if (res.status !== 202) throw new Error(`sending fresh events: ${res.status}`);
    };
    /** Fresh events at FRESH_PER_S, ten batches a second, until `until()` holds; returns how many were sent. */
    const flow = async (until: () => boolean | Promise<boolean>) => {
      const start = Date.now();
      const first = sent;
      let tick = 0;
      while (!(await until())) {
        await sendFresh(FRESH_PER_S / 10);
        tick++;
        await sleep(Math.max(0, start + tick * 100 - Date.now()));
      }
      return sent - first;
    };
    const waitForFresh = async (total: number) => {
      const deadline = Date.now() + 120_000;
      while (receiver.fresh.length < total * FRESH_ENDPOINTS && Date.now() < deadline) await sleep(100);
    };

    log('warm-up: fresh traffic until every endpoint has deliveries');
    await flow(async () => receiver.fresh.length >= FRESH_ENDPOINTS * FRESH_PER_S);
    await waitForFresh(sent);

    log(`writing ${DEAD} dead deliveries of endpoint ${target} straight into the log tables`);
    const t0 = new Date(Date.now() - 3_600_000);
    const db = stack.databaseUrl;
    await pgQuery(
      db,
      `INSERT INTO events (tenant_id, id, type, data, occurred_at, received_at)
       SELECT 'recovery', 'evt_rec_' || g, 'recover.item', jsonb_build_object('n', g), $1::timestamptz + g * interval '1 ms', $1::timestamptz + g * interval '1 ms'
       FROM generate_series(1, $2::int) g`,
      [t0, DEAD],
    );
    await pgQuery(
      db,
      `INSERT INTO deliveries (id, tenant_id, event_id, endpoint_id, event_type, status, attempt_count, created_at)
       SELECT gen_random_uuid(), 'recovery', 'evt_rec_' || g, $3, 'recover.item', 'dead', 2, $1::timestamptz + g * interval '1 ms'
       FROM generate_series(1, $2::int) g`,
      [t0, DEAD, target],
    );
    await pgQuery(db, `ANALYZE deliveries`);

    log(`baseline: ${FRESH_PER_S} fresh events/s × ${FRESH_ENDPOINTS} endpoints for ${BASELINE_S} s, no recovery`);
    const baselineFrom = receiver.fresh.length;
    const baselineEnd = Date.now() + BASELINE_S * 1000;
    await flow(() => Date.now() >= baselineEnd);
    await waitForFresh(sent);
    const baseline = percentiles(receiver.fresh.slice(baselineFrom).map((a) => a.latencyMs as number));

    log(`recovery of ${DEAD} dead deliveries at HOOKLINE_RECOVERY_RATE=${RECOVERY_RATE}, fresh traffic as before`);
    const duringFrom = receiver.fresh.length;
    const recoverStart = Date.now();
    const started = await stack.api<{ id: string; total: number }>('admin-api', 'POST', `/v1/tenants/recovery/endpoints/${target}/recover`, {
      since: new Date(t0.getTime() - 1000).toISOString(),
    });
    if (started.status !== 202) throw new Error(`recover: ${started.status} ${JSON.stringify(started.body)}`);
    let job = { state: 'queued', done: 0, total: started.body.total };
    let lastPoll = 0;
    await flow(async () => {
      if (Date.now() - lastPoll >= 500) {
        lastPoll = Date.now();
        job = (await stack.api<typeof job>('admin-api', 'GET', `/v1/recovery-jobs/${started.body.id}`)).body;
      }
      return job.state !== 'queued' && job.state !== 'running';
    });
    const jobEnd = Date.now();
    const deadline = Date.now() + 120_000;
    while (new Set(receiver.recovered.map((a) => a.webhookId)).size < DEAD && Date.now() < deadline) await sleep(200);
    await waitForFresh(sent);
    const during = percentiles(receiver.fresh.slice(duringFrom).map((a) => a.latencyMs as number));
    const distinctRecovered = new Set(receiver.recovered.map((a) => a.webhookId)).size;
    const lastArrival = Math.max(...receiver.recovered.map((a) => a.at));

    const jobSeconds = (jobEnd - recoverStart) / 1000;
    const arrivalSeconds = (lastArrival - recoverStart) / 1000;
    const freshDistinct = new Set(receiver.fresh.map((a) => a.webhookId)).size;
    const cpu = cpus();
    const out = [
      `### Recovery under fresh traffic, ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC`,
      ``,
      `- command: \`npm run bench:recovery -- --dead ${DEAD} --rate ${RECOVERY_RATE} --fresh ${FRESH_PER_S} --baseline ${BASELINE_S}\``,
      `- machine: ${cpu[0]?.model ?? '?'}, ${cpu.length} cores, ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM, Node ${process.version}`,
      `- job: state ${job.state}, total ${job.total}, done ${job.done}; ${distinctRecovered} distinct deliveries arrived (${receiver.recovered.length - distinctRecovered} repeats)`,
      `- recovery throughput: ${(job.done / jobSeconds).toFixed(0)} deliveries/s by the job (${jobSeconds.toFixed(1)} s), ${(distinctRecovered / arrivalSeconds).toFixed(0)}/s arrived (last at ${arrivalSeconds.toFixed(1)} s)`,
      `- fresh traffic: ${sent} events × ${FRESH_ENDPOINTS} endpoints, ${receiver.fresh.length} deliveries arrived, ${receiver.fresh.length - freshDistinct} repeats`,
      ``,
      `| fresh traffic, event → arrival (ms) | deliveries | p50 | p95 | p99 | max |`,
      `|---|---:|---:|---:|---:|---:|`,
      `| without a recovery | ${baseline.n} | ${baseline.p50} | ${baseline.p95} | ${baseline.p99} | ${baseline.max} |`,
      `| during the recovery | ${during.n} | ${during.p50} | ${during.p95} | ${during.p99} | ${during.max} |`,
      `| during / without | | ${(during.p50 / baseline.p50).toFixed(2)} | ${(during.p95 / baseline.p95).toFixed(2)} | ${(during.p99 / baseline.p99).toFixed(2)} | |`,
    ];
    process.stdout.write(`\n${out.join('\n')}\n`);
  } finally {
    await stack.stop().catch(() => undefined);
    receiver.server.close();
    await infra.stop();
    if (!args.keep) rmSync(tmp, { recursive: true, force: true });
    else log(`kept ${tmp}`);
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
    process.exit(1);
  },
);
