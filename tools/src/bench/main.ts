#!/usr/bin/env node
/*
 * `npm run bench`: what users feel, end to end on the real pipeline (ingest →
 * rules-engine → dispatcher → receiver, with log-store and retry-scheduler
 * running): deliveries/s, event→delivery latency, CPU per 1,000 deliveries and
 * memory per process, and the traffic on every topic, for each scenario:
 * single-event POSTs, the batch API, events produced straight onto the
 * ingestion topic, as fast as Hookline accepts them or at a steady rate. Next
 * to them, the raw limit of the same machine, measured before and after: the
 * same signed POSTs sent straight from the bench to its receiver.
 *
 *   npm run bench                         the standard set (options.ts: HELP)
 *   npm run bench -- --mode single --concurrency 32
 *   npm run bench -- --mode single --rate 200 --duration 600
 *
 * By default it starts its own Kafka and PostgreSQL (temporary folder, free
 * ports) and its own six services; KAFKA_BROKERS / DATABASE_URL use existing
 * servers instead (a fresh database and topic prefix are used, and removed
 * afterwards unless --keep). Service settings in the environment
 * (HOOKLINE_*, DISPATCHER_*, RETRY_SCHEDULER_*, LOG_LEVEL, DATABASE_POOL_SIZE)
 * are passed to the services. Everything listens on 127.0.0.1 only.
 *
 * run.ts holds the order of the phases; every run writes its results as JSON
 * to .bench/<time>.json (and --json FILE), for the Releases table of BENCHMARKS.md.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { findRepoRoot } from '@hookline/infra';
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
  // Every run is kept: the history that the Releases table and a regression hunt start from.
  const dir = join(findRepoRoot(), '.bench');
  mkdirSync(dir, { recursive: true });
  const files = [join(dir, `${result.startedAt.replace(/[:.]/g, '-')}.json`), ...(args.json ? [args.json] : [])];
  for (const file of files) writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  printReport(result, files);
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
