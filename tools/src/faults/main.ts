#!/usr/bin/env node
/*
 * `npm run faults`: the fault suite. On its own Kafka and PostgreSQL (which it
 * kills and restarts) and a fresh stack of the six services per scenario, it
 * injects one fault per scenario under load and checks that nothing is lost,
 * repeated under another id or badly signed, and that the delivery log holds
 * every delivery that reached the endpoint. One table row per scenario;
 * RELIABILITY.md says what each does and checks.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { codeVersion, machineInfo } from '../bench/measure';
import { UsageError } from '../flags';
import { HELP, parseOptions } from './options';
import { table } from './report';
import { type Row, runScenario, SCENARIOS } from './scenarios';
import { World } from './world';

const log = (msg: string) => void process.stderr.write(`[faults] ${msg}\n`);

async function main(): Promise<number> {
  const args = parseOptions(process.argv.slice(2));
  if (!args) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  const command = `npm run faults${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`;
  const startedAt = new Date();
  const world = await World.start(log, args.keep);
  const logDir = join(world.dataDir, 'logs');
  mkdirSync(logDir, { recursive: true });
  let stopping = false;
  const onSignal = () => {
    if (stopping) process.exit(130);
    stopping = true;
    log('interrupted: stopping Kafka and PostgreSQL');
    void world.stop().finally(() => process.exit(130));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const rows: Row[] = [];
  try {
    for (const scenario of SCENARIOS.filter((s) => args.only.includes(s.n))) {
      log(`${scenario.title}: starting (budget ${scenario.budgetS({ ...args, world, logDir, log })} s)`);
      const row = await runScenario(scenario, { ...args, world, logDir, log });
      log(`${scenario.title}: ${row.pass ? 'PASS' : 'FAIL'}${row.pass ? '' : ` (${row.notes[0]})`}`);
      rows.push(row);
    }
  } finally {
    await world.stop();
  }
  const m = machineInfo();
  process.stdout.write(
    `\n${command}\n${startedAt.toISOString()}, commit ${codeVersion()}, ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB, Node ${m.node}\n\n${table(rows)}\n`,
  );
  if (args.json) writeFileSync(args.json, `${JSON.stringify({ command, startedAt, code: codeVersion(), machine: m, rows }, null, 2)}\n`);
  return rows.every((r) => r.pass) ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof UsageError) {
      log(`${error.message}\n${HELP}`);
      process.exit(2);
    }
    log(`FAILED: ${error instanceof Error ? error.stack : String(error)}`);
    process.exit(1);
  },
);
