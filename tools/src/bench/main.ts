#!/usr/bin/env node
/*
 * `npm run bench`: end-to-end throughput and latency of the real pipeline
 * (ingest → rules-engine → dispatcher → receiver, with log-store and
 * retry-scheduler running) next to the raw limit of the same machine: the same
 * number of Standard-Webhooks-signed POSTs of the same size, with the same
 * concurrency budget, sent straight to the same receiver with undici.
 *
 *   npm run bench -- [--events 20000] [--endpoints 4] [--rate 0] [--batch 500]
 *                    [--parallel 4] [--stall-s 60] [--max-s 900] [--keep] [--json FILE]
 *
 * By default it starts its own Kafka and PostgreSQL (temporary folder, free
 * ports) and its own six services; KAFKA_BROKERS / DATABASE_URL use existing
 * servers instead (a fresh database and topic prefix are used, and removed
 * afterwards unless --keep). Service settings in the environment
 * (HOOKLINE_*, DISPATCHER_*, RETRY_SCHEDULER_*, LOG_LEVEL, DATABASE_POOL_SIZE)
 * are passed to the services. Everything listens on 127.0.0.1 only.
 *
 * Phases (run.ts, phases.ts): start → endpoints (one tenant + one endpoint
 * each) → warm-up (until every endpoint has received a delivery, then a
 * warm-up batch) → pipeline (N events via POST /v1/events/batch; event i goes
 * to endpoint i mod K) → raw (N signed POSTs from this process) → report.
 */
import { writeFileSync } from 'node:fs';
import { UsageError } from '../flags';
import { BenchError, HELP, parseOptions } from './options';
import { printReport } from './report';
import { runBench } from './run';

const log = (msg: string) => void process.stderr.write(`[bench] ${msg}\n`);

async function main(): Promise<number> {
  const args = parseOptions(process.argv.slice(2));
  if (!args) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  const command = `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`;
  const { result, failed } = await runBench(args, command, log);
  printReport(result);
  if (args.json) writeFileSync(args.json, `${JSON.stringify(result, null, 2)}\n`);
  if (failed) {
    log('FAILED: some deliveries had invalid signatures (see above)');
    return 1;
  }
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof UsageError) {
      log(`${error.message}\n${HELP}`);
      process.exit(2);
    }
    log(error instanceof BenchError ? `FAILED: ${error.message}` : `FAILED: ${error instanceof Error ? error.stack : String(error)}`);
    process.exit(1);
  },
);
